// One client connection's state. The output side needs no buffer: every connection sends the
// same bytes, so a pending write is an offset into the shared RequestBatch. In-flight requests
// keep their start times in a small ring (power of two >= the pipeline depth).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "http_response.h"
#include "ring_buffer.h"

struct ssl_st;

namespace evb {
class H2Session;
}

namespace evb {

struct LoadConn {
  enum State { kClosed, kConnecting, kOpen };

  explicit LoadConn(int pipeline, size_t in_capacity) : in(in_capacity) {
    size_t cap = 1;
    while (cap < static_cast<size_t>(pipeline)) cap <<= 1;
    intended.resize(cap);
    sent.resize(cap);
    mask = static_cast<uint32_t>(cap - 1);
  }

  int fd = -1;
  State state = kClosed;
  RingBuffer in;
  ResponseParser parser;
  bool want_write = false;  // EPOLLOUT requested (connecting, or a write was short)

  // In flight: [head, head + inflight) in the rings below.
  std::vector<uint64_t> intended;  // when the request was meant to start: latency is timed from it
  std::vector<uint64_t> sent;      // when it was handed to the kernel (or the connect began): for timeouts
  uint32_t mask = 0;
  uint32_t head = 0;
  uint32_t inflight = 0;

  size_t out_left = 0;  // bytes of the current batch not yet written
  size_t out_off = 0;   // offset of those bytes in the RequestBatch

  uint64_t next_due = 0;   // open loop: intended start of the next request
  uint64_t armed_due = 0;  // open loop: the due time this connection waits for in the due heap (0: none)
  uint64_t retry_at = 0;   // closed state: when to connect again (0 = now)
  uint64_t echo_got = 0;   // echo mode: bytes of the oldest answer received so far
  uint32_t id = 0;
  bool active = true;            // sends requests (the others are held open, idle)
  bool opened_once = false;      // counted in the ramp
  uint64_t connect_started = 0;  // when the current connect began (its latency is timed from it)
  uint64_t rng = 0;              // open loop, poisson: this connection's PRNG state
  // Backend state. gen changes on every close, so a late completion of an earlier connection
  // on this slot is recognised and dropped (io_uring).
  uint32_t gen = 0;
  bool send_queued = false;  // io_uring: on the list of sends to submit this loop turn
  bool send_busy = false;    // io_uring: a send is in the kernel
  bool recv_armed = false;   // io_uring: a multishot receive is in the kernel
  // TLS: the connection's session (load_tls.h); while `handshaking` the state stays kConnecting
  // (no request is written, the connect deadline still runs).
  ssl_st* ssl = nullptr;
  bool handshaking = false;
  uint64_t handshake_started = 0;  // when the TCP connect ended
  // A connect that finished at once (TCP Fast Open) while fill() was opening the connection for
  // its requests: the handshake starts once they are staged, so they can go as early data.
  bool tls_start_due = false;
  // TLS 1.3 early data (--tls-early-data): the batch is being written as early data, or was
  // (its out_off bytes), and the handshake's end says whether the server took it.
  enum Early : uint8_t { kEarlyNone, kEarlyWriting, kEarlySent };
  Early early = kEarlyNone;
  // io_uring + TLS: the ciphertext of the send in the kernel (stable until it completes), how
  // much of it has gone, and whether the batch's out_left bytes are already encrypted into it
  // or into OpenSSL's output (they count as written once all of that has gone).
  std::string tls_out;
  size_t tls_out_off = 0;
  bool tls_sealed = false;
  // HTTP/2: the session (made when the connection can carry requests), what it has to send
  // (written from out_off, as a batch), and the stream slots: intended[]/sent[] are indexed by
  // slot, not by the FIFO head.
  H2Session* h2 = nullptr;
  std::string h2_out;
  std::vector<uint32_t> free_slots;
  std::vector<uint8_t> slot_busy;
  bool h2_goaway = false;  // the server said GOAWAY: no new stream here
};

}  // namespace evb
