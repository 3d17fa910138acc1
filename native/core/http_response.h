// An incremental HTTP/1.x response parser for the load client. It parses in place from the
// caller's buffer and never copies: the status line and headers must be contiguous (the
// caller keeps unconsumed bytes and calls again with more), body bytes are consumed as they
// come. Framing: Content-Length, chunked transfer coding, or (no length) until the peer
// closes; 1xx responses are skipped as interim; 204, 304 and answers to HEAD have no body.
#pragma once
#include <cstddef>
#include <cstdint>

namespace evb {

class ResponseParser {
 public:
  enum Result { kNeedMore, kDone, kError };
  static constexpr size_t kMaxHead = 64 * 1024;  // a longer status line + headers is an error
  static constexpr size_t kMaxLine = 4 * 1024;   // chunk-size and trailer lines

  // Prepares for the next response; head_request: the request was HEAD (no body follows).
  void reset(bool head_request = false) {
    state_ = kHead;
    head_request_ = head_request;
    status_ = 0;
    close_ = false;
    remaining_ = 0;
    body_length_ = 0;
    body_hash_ = kHashSeed;
  }

  // --check: hash the body bytes as they pass (FNV-1a, 64 bits); kept across reset().
  void set_hash_body(bool on) { hash_body_ = on; }
  static constexpr uint64_t kHashSeed = 14695981039346656037ull;  // FNV-1a offset basis
  static uint64_t hash_bytes(uint64_t h, const char* p, size_t n) {
    for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * 1099511628211ull;
    return h;
  }

  // Parses p[0, n). *used is set to the bytes consumed; on kDone they end exactly at the end
  // of the response (the rest belongs to the next one: reset(), then call again).
  Result feed(const char* p, size_t n, size_t* used);

  // The peer closed the connection: completes a body framed by the close, else an error.
  Result on_eof() const { return state_ == kUntilClose ? kDone : kError; }

  // True between responses (no byte of the next one has been consumed).
  bool idle() const { return state_ == kHead; }
  int status() const { return status_; }
  // The server will close after this response (Connection: close, HTTP/1.0, or close-framed).
  bool closes() const { return close_; }
  // The body of the response just parsed (before reset()): its length after de-chunking, and
  // its FNV-1a hash when hashing is on.
  uint64_t body_length() const { return body_length_; }
  uint64_t body_hash() const { return body_hash_; }

 private:
  enum State { kHead, kBody, kChunkSize, kChunkData, kChunkEnd, kTrailer, kUntilClose };
  Result parse_head(const char* p, size_t n, size_t* used);
  bool chunk_line(const char* s, size_t left, size_t* off, Result* r);
  static bool parse_chunk_size(const char* s, size_t line, uint64_t* size);

  State state_ = kHead;
  bool head_request_ = false;
  bool close_ = false;
  int status_ = 0;
  uint64_t remaining_ = 0;
  uint64_t body_length_ = 0;
  uint64_t body_hash_ = kHashSeed;
  bool hash_body_ = false;

  void body(const char* p, size_t n) {
    body_length_ += n;
    if (hash_body_) body_hash_ = hash_bytes(body_hash_, p, n);
  }
};

}  // namespace evb
