// One accepted connection of the native server. Objects are pooled by their loop and reused;
// the ring buffers are borrowed from the loop only while they hold bytes, so an idle connection
// costs this struct and its socket, nothing more.
#pragma once
#include <cstdint>
#include <vector>

#include "http_answer.h"
#include "http_request.h"
#include "ring_buffer.h"

namespace evb {

enum class Route : uint8_t { kPlaintext, kEcho, kNotFound };

struct ServerConn {
  int fd = -1;                  // -1 while the object sits in the pool
  RingBuffer* in = nullptr;     // unparsed request bytes (HTTP mode)
  RingBuffer* out = nullptr;    // answers (HTTP) or bytes read (echo) not yet written
  RequestFramer framer;
  std::vector<char> chunked_body;  // a chunked echo body, gathered until its length is known
  uint64_t discarded = 0;       // bytes dropped while lingering
  Route route = Route::kNotFound;
  ConnHeader conn_header = ConnHeader::kNone;
  bool paused = false;          // output above the high-water mark: not reading or parsing
  bool closing = false;         // close once the output is written
  bool linger = false;          // close after the peer's EOF (error answers, unread input)
  bool shut = false;            // FIN sent while lingering: only discarding input now
  bool peer_closed = false;     // read returned 0
  bool failed = false;          // socket error or no memory: close now

  bool stops_reading() const { return paused || closing || peer_closed || failed; }
};

}  // namespace evb
