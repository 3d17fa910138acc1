// One accepted connection of the native server. Objects are pooled by their loop and reused;
// the ring buffers are borrowed from the loop only while they hold bytes, so an idle connection
// costs this struct and its socket, nothing more.
#pragma once
#include <cstdint>

#include "http_answer.h"
#include "http_request.h"
#include "ring_buffer.h"
#include "server_timeouts.h"
#include "server_tls.h"

namespace evb {

enum class Route : uint8_t { kPlaintext, kEcho, kNotFound };

// How an echo answer's body is framed: Content-Length (known from the request), chunked (a
// chunked request, HTTP/1.1: streamed chunk by chunk), or until close (a chunked HTTP/1.0 request).
enum class EchoFraming : uint8_t { kLength, kChunked, kUntilClose };

struct ServerConn {
  int fd = -1;                // -1 while the object sits in the pool
  RingBuffer* in = nullptr;   // unparsed request bytes (HTTP mode)
  RingBuffer* out = nullptr;  // answers (HTTP) or bytes read (echo) not yet written
  RequestFramer framer;
  TlsConn* tls = nullptr;      // the connection's TLS state (a TLS server only), freed at close
  ServerConn* prev = nullptr;  // the loop's list of open connections, walked by the timeout sweep
  ServerConn* next = nullptr;
  int64_t deadline_ms = 0;             // the sweep closes the connection once the loop's clock passes it
  TimerKind timer = TimerKind::kNone;  // what the deadline is for (kNone: re-arm at the next settle)
  uint64_t discarded = 0;              // bytes dropped while lingering
  Route route = Route::kNotFound;
  EchoFraming echo_framing = EchoFraming::kLength;
  ConnHeader conn_header = ConnHeader::kNone;
  bool head_only = false;    // HEAD: the answer's head without its body
  bool streaming = false;    // an echo answer's head is out and its body streams behind it
  bool paused = false;       // output above the high-water mark: not reading or parsing
  bool closing = false;      // close once the output is written
  bool linger = false;       // close after the peer's EOF (error answers, unread input)
  bool shut = false;         // FIN sent while lingering: only discarding input now
  bool peer_closed = false;  // read returned 0
  bool peer_hup = false;     // the poller reported the peer's FIN (or an error): read to EOF
  bool failed = false;       // socket error or no memory: close now
  // io_uring only (server_uring): the output being sent (the kernel reads it until the send
  // completes, so put() writes to a fresh `out` meanwhile), requests in the kernel, and flags.
  RingBuffer* sending = nullptr;
  uint8_t ops = 0;  // the object returns to the pool only when this is 0
  bool recv_armed = false;
  bool flush_queued = false;
  bool send_busy = false;

  bool stops_reading() const { return paused || closing || peer_closed || failed; }
};

}  // namespace evb
