// HTTP/1.1 request framing: where each request's head ends, how long its body is (Content-Length
// or chunked), whether the connection stays open. Incremental: it is fed whatever bytes have
// arrived, consumes a prefix, and reports one event per call. It knows nothing of routes or
// sockets, so it can be unit-tested at every split point and fuzzed on its own.
#pragma once
#include <cstddef>
#include <cstdint>

namespace evb {

struct FramerLimits {
  size_t max_header_bytes = 8192;      // request line + headers + blank line; over it: 431
  size_t max_headers = 100;            // header fields; over it: 431
  uint64_t max_body_bytes = 8u << 20;  // Content-Length or decoded chunked total; over it: 413
};

struct RequestHead {
  const char* method = nullptr;  // both spans point into the bytes given to the kHead call
  size_t method_len = 0;         // and stay valid only until the next call
  const char* path = nullptr;    // the target before any '?'
  size_t path_len = 0;
  int minor_version = 1;          // HTTP/1.<minor>
  bool keep_alive = true;         // after version defaults and Connection tokens
  bool keep_alive_token = false;  // the client said "keep-alive" (an HTTP/1.0 client wants it echoed)
  bool chunked = false;
  bool expect_continue = false;  // "Expect: 100-continue": the client waits for a 100 before the body
  uint64_t content_length = 0;   // 0 when chunked
  uint32_t header_count = 0;
};

enum class FrameEvent : uint8_t {
  kNeedMore,  // everything given was consumed or the head is still incomplete: feed more bytes
  kHead,      // head() is complete; body events (if any) and then kEnd follow
  kBody,      // body() is a span of request body bytes (raw bytes from the input, chunk framing removed)
  kEnd,       // the request is complete; the next call starts the next (pipelined) request
  kError,     // error_status() says why (400, 413, 431); the framer stays in error
};

class RequestFramer {
 public:
  explicit RequestFramer(const FramerLimits& limits = FramerLimits()) : limits_(limits) {}

  // Looks at data[0, n), the bytes not yet consumed, in order. Sets *used to the prefix it
  // consumed (the caller drops it) and returns one event. While the head is incomplete it consumes
  // nothing and expects the same bytes again, with more after them, on the next call; it remembers
  // how far it scanned, so a head trickling in one byte at a time is not rescanned from the start.
  // Inline: it runs two or three times per request, and the head and end cases are the hot ones.
  FrameEvent next(const char* data, size_t n, size_t* used) {
    switch (state_) {
      case State::kHead: return parse_head(data, n, used);
      case State::kDone:
        *used = 0;
        state_ = State::kHead;
        return FrameEvent::kEnd;
      case State::kBodyLength: {
        size_t take = remaining_ < n ? static_cast<size_t>(remaining_) : n;
        *used = take;
        if (take == 0) return FrameEvent::kNeedMore;
        body_ = data;
        body_len_ = take;
        remaining_ -= take;
        if (remaining_ == 0) state_ = State::kDone;
        return FrameEvent::kBody;
      }
      case State::kError: *used = 0; return FrameEvent::kError;
      default: return chunked(data, n, used);
    }
  }

  const RequestHead& head() const { return head_; }
  const char* body() const { return body_; }
  size_t body_len() const { return body_len_; }
  int error_status() const { return error_; }
  bool in_head() const { return state_ == State::kHead; }
  void reset();  // for a new connection

 private:
  enum class State : uint8_t {
    kHead,
    kBodyLength,
    kChunkSize,
    kChunkExt,
    kChunkSizeLf,
    kChunkData,
    kChunkDataCr,
    kChunkDataLf,
    kTrailerLineStart,
    kTrailerLine,
    kTrailerLf,
    kDone,
    kError
  };
  struct FieldScan;
  FrameEvent parse_head(const char* p, size_t n, size_t* used);
  int parse_lines(const char* p, size_t n, size_t* end);
  const char* parse_request_line(const char* s, const char* e);
  int parse_field(const char** at, const char* e, FieldScan* f);
  int apply_field(const char* name, size_t name_len, const char* v, size_t v_len, FieldScan* f);
  int finish_head(const FieldScan& f);
  static size_t find_head_end(const char* p, size_t n, size_t* from);
  FrameEvent chunked(const char* p, size_t n, size_t* used);
  int size_line_byte(char c);
  void size_line_done();
  int data_end_byte(char c);
  int trailer_step(const char* p, size_t n, size_t* i);
  FrameEvent fail(int status) {
    state_ = State::kError;
    error_ = status;
    return FrameEvent::kError;
  }

  FramerLimits limits_;
  RequestHead head_;
  State state_ = State::kHead;
  int error_ = 0;
  size_t scanned_ = 0;        // head bytes already searched for the blank line
  uint64_t remaining_ = 0;    // body bytes left (Content-Length) or in the current chunk
  uint64_t chunk_total_ = 0;  // decoded chunked body so far
  uint32_t chunk_digits_ = 0;
  size_t line_bytes_ = 0;  // chunk-size line or trailer bytes so far, against the limits
  const char* body_ = nullptr;
  size_t body_len_ = 0;
};

}  // namespace evb
