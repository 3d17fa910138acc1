// LoadThread's HTTP/2 part: a stream per request, the stream slots in place of the pipeline's
// FIFO (answers may come in any order), the session's output written as a batch would be.
#include <cstdint>

#include "load_arrival.h"
#include "load_h2.h"
#include "load_thread.h"

namespace evb {

// The connection can carry requests: its session, every slot free.
bool LoadThread::h2_start(LoadConn& c) {
  c.h2 = new H2Session(&h2_request_, plan_.opts.h2_window, static_cast<uint32_t>(c.intended.size()), this);
  if (!c.h2->ok()) {
    delete c.h2;
    c.h2 = nullptr;
    return false;
  }
  c.free_slots.clear();
  for (uint32_t s = static_cast<uint32_t>(c.intended.size()); s-- > 0;) c.free_slots.push_back(s);
  c.slot_busy.assign(c.intended.size(), 0);
  c.h2_goaway = false;
  return true;
}

// k requests claimed by fill_now(): a stream each, timed from its intended start.
void LoadThread::h2_fill(LoadConn& c, uint32_t k, uint64_t now) {
  if (c.state != LoadConn::kOpen) {  // connecting: the streams open once it is (keep-alive only)
    if (plan_.opts.requests != 0) plan_.budget_left.fetch_add(k, std::memory_order_relaxed);
    return;
  }
  if (c.h2 == nullptr && !h2_start(c)) {
    if (plan_.opts.requests != 0) plan_.budget_left.fetch_add(k, std::memory_order_relaxed);
    fail(c, kLoadErrBadResponse, now);
    return;
  }
  uint64_t iv = plan_.interval_ns;
  uint32_t opened = 0;
  h2_conn_ = &c;
  h2_now_ = now;
  for (; opened < k && !c.h2_goaway && !c.free_slots.empty(); ++opened) {
    uint32_t slot = c.free_slots.back();
    if (!c.h2->submit(slot)) break;
    c.free_slots.pop_back();
    c.slot_busy[slot] = 1;
    c.intended[slot] = iv ? c.next_due : now;
    c.sent[slot] = now;
    if (iv) c.next_due += arrival_gap(plan_.opts.poisson, iv, &c.rng);
  }
  if (opened < k && plan_.opts.requests != 0) plan_.budget_left.fetch_add(k - opened, std::memory_order_relaxed);
  c.inflight += opened;
  inflight_total_ += opened;
  stats.sent += opened;
  h2_flush(c, now);
}

// Writes what the session has to send (requests, SETTINGS and WINDOW_UPDATE frames, PING
// answers), once the previous write is done.
void LoadThread::h2_flush(LoadConn& c, uint64_t now) {
  if (c.h2 == nullptr || c.out_left != 0 || c.state != LoadConn::kOpen) return;
  c.h2_out.clear();
  h2_conn_ = &c;
  h2_now_ = now;
  c.out_off = 0;
  c.out_left = c.h2->drain(&c.h2_out);
  if (c.out_left != 0) io_send(c, now);
}

// Input for c's session: its callbacks count the streams that ended. False once c was
// restarted (a protocol error, or the session over after GOAWAY).
bool LoadThread::h2_input(LoadConn& c, const char* p, size_t n, uint64_t now) {
  uint32_t gen = c.gen;
  if (c.h2 == nullptr && !h2_start(c)) {
    fail(c, kLoadErrBadResponse, now);
    return false;
  }
  h2_conn_ = &c;
  h2_now_ = now;
  if (!c.h2->receive(p, n)) {
    if (c.gen == gen) fail(c, kLoadErrBadResponse, now);
    return false;
  }
  if (c.gen != gen) return false;
  if (c.h2_goaway && c.inflight == 0) {  // nothing more will come on this connection
    restart(c, now);
    return false;
  }
  return true;
}

void LoadThread::h2_stream_done(uint32_t slot, int status, uint64_t body_bytes, uint32_t error_code) {
  LoadConn& c = *h2_conn_;
  uint64_t now = h2_now_;
  if (slot >= c.slot_busy.size() || !c.slot_busy[slot]) return;
  c.slot_busy[slot] = 0;
  c.free_slots.push_back(slot);
  --c.inflight;
  --inflight_total_;
  if (error_code == 0 && status != 0) {
    const LoadOptions& o = plan_.opts;
    unsigned diff = 0;
    if (o.check_status != 0 && status != o.check_status) diff |= 1u << kCheckStatus;
    if (o.check_length >= 0 && body_bytes != static_cast<uint64_t>(o.check_length)) diff |= 1u << kCheckLength;
    record_answer(c.intended[slot], now, status, diff);
    return;
  }
  // Reset by the server, or refused after its GOAWAY (REFUSED_STREAM = 7): lost, its place in
  // the budget given back.
  ++stats.failed;
  count_error(error_code == 7 || c.h2_goaway ? kLoadErrGoaway : kLoadErrRstStream, now, 1);
  if (plan_.opts.requests != 0) plan_.budget_left.fetch_add(1, std::memory_order_relaxed);
}

// A GOAWAY is HTTP/2's "Connection: close": by itself no error. The streams it refuses are
// (h2_stream_done), and the connection opens again once its last stream ended (h2_input).
void LoadThread::h2_goaway() { h2_conn_->h2_goaway = true; }

// When the oldest request in flight was sent (the connect's start while none is).
uint64_t LoadThread::oldest_sent(const LoadConn& c) const {
  if (c.h2 == nullptr || c.inflight == 0) return c.sent[c.head & c.mask];
  uint64_t oldest = UINT64_MAX;
  for (size_t s = 0; s < c.slot_busy.size(); ++s)
    if (c.slot_busy[s] && c.sent[s] < oldest) oldest = c.sent[s];
  return oldest;
}

}  // namespace evb
