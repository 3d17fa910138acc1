// The server's complete HTTP answers (docs/architecture.md), prebuilt once per second with the
// current Date, so answering a request is one copy of ready bytes. One cache per loop thread.
#pragma once
#include <cstddef>
#include <cstdint>
#include <ctime>

#include "http_date.h"

namespace evb {

enum class Answer : uint8_t { kPlaintext, kNotFound, kBadRequest, kHeaderTooLarge, kBodyTooLarge, kCount };

// The Connection header an answer carries: none (HTTP/1.1 keep-alive), close, or keep-alive
// (an HTTP/1.0 client that asked for it must be told it was granted).
enum class ConnHeader : uint8_t { kNone, kClose, kKeepAlive, kCount };

struct AnswerBytes {
  const char* data;
  size_t len;
};

class AnswerCache {
 public:
  static constexpr size_t kMaxAnswer = 256;
  static constexpr size_t kMaxEchoHead = 256;

  AnswerCache() { refresh(time(nullptr)); }

  // Rebuilds every answer when the second changed; otherwise one comparison.
  void refresh(time_t now) {
    if (now != date_sec_) rebuild(now);
  }

  AnswerBytes get(Answer a, ConnHeader c) const {
    const Slot& s = answers_[static_cast<int>(a)][static_cast<int>(c)];
    return {s.bytes, s.len};
  }

  // The answer to HEAD: the same head as get() (Content-Length included), without the body.
  AnswerBytes head_only(Answer a, ConnHeader c) const {
    const Slot& s = answers_[static_cast<int>(a)][static_cast<int>(c)];
    return {s.bytes, s.head_len};
  }

  // Writes the head of a 200 echo answer carrying `body_len` into out (kMaxEchoHead bytes).
  size_t echo_head(char* out, uint64_t body_len, ConnHeader c) const;

  // The head of a 200 echo answer whose length is not known yet: chunked, or (until_close, for
  // HTTP/1.0) delimited by the close. Into out (kMaxEchoHead bytes).
  size_t echo_chunked_head(char* out, ConnHeader c, bool until_close = false) const;

 private:
  struct Slot {
    char bytes[kMaxAnswer];
    size_t len;
    size_t head_len;  // up to the blank line: what HEAD gets
  };
  void rebuild(time_t now);

  time_t date_sec_ = -1;
  Slot answers_[static_cast<int>(Answer::kCount)][static_cast<int>(ConnHeader::kCount)];
  Slot echo_prefix_[static_cast<int>(ConnHeader::kCount)];  // up to "Content-Length: "
};

}  // namespace evb
