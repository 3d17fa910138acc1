// One load thread: its connections, run to the end of the window, then drained. This class is
// the protocol and the accounting, shared by every I/O backend: when to send (closed loop, open
// loop, pipelining, the request budget), parsing answers, timeouts, reconnects, and counting
// every request once (load_stats.h). A backend (load_epoll.cc, load_uring.cc) owns the sockets
// and the loop: it opens and closes connections, writes the pending batch, and hands what it
// read to on_input()/on_input_bytes().
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "live_latency.h"
#include "load_conn.h"
#include "load_connect.h"
#include "load_h2.h"
#include "load_plan.h"
#include "load_stats.h"
#include "load_tls.h"

namespace evb {

class LoadThread : private H2Events {
 public:
  // Connections first_conn .. first_conn + count - 1 (global ids, used to stagger open loop).
  // Returns the backend plan.opts.backend asks for; it must be available (load_backend.h).
  static std::unique_ptr<LoadThread> create(LoadPlan& plan, int index, int first_conn, int count);
  virtual ~LoadThread() = default;

  // Waits for t0, runs the backend's loop, then counts what is still in flight as unfinished.
  void run();
  // Thread-safe: makes the loop look at plan.stop promptly.
  virtual void wake() = 0;

  LoadStats stats;
  std::string fatal;  // why the thread could not run at all (empty when it ran)
  // Published every loop turn for progress(): at any time.
  std::atomic<uint64_t> progress_completed{0};
  std::atomic<uint64_t> progress_errors{0};
  std::atomic<uint64_t> progress_sent{0};
  // The window's latencies, coarse, readable while the thread runs (progress's p99).
  LiveLatency live_latency;
  // stats.per_second as it grows, readable while the thread runs: the live view shows a whole
  // second's answers from the very counter the result's per-second timeline is made of.
  std::unique_ptr<std::atomic<uint64_t>[]> live_per_second;
  size_t live_seconds = 0;
  // The clock reading of the last publish(): answers stamped before it are all counted.
  std::atomic<uint64_t> progress_now{0};

 protected:
  LoadThread(LoadPlan& plan, int index, int first_conn, int count);

  // --- the backend's part ---
  virtual std::string init() = 0;  // "" or why the backend cannot run
  virtual void loop() = 0;         // until should_stop(); calls the protocol below
  // Creates the socket and starts connecting: c.fd >= 0 and c.state kConnecting or kOpen,
  // else false (the connect error is counted by the caller).
  virtual bool io_open(LoadConn& c, uint64_t now) = 0;
  virtual void io_close(LoadConn& c) = 0;
  // c.out_left bytes at plan.batch.data() + c.out_off are to be written.
  virtual void io_send(LoadConn& c, uint64_t now) = 0;
  // After every connection was closed at the end: release what the backend holds, so that no
  // socket outlives the run while the LoadClient lives on.
  virtual void io_finish() {}
  // https: drives c's handshake (c.ssl made on the first call) until handshaken() or
  // tls_failed(). A backend without TLS refuses it in init(), so this is never reached there.
  virtual void io_handshake(LoadConn& c, uint64_t now) { tls_failed(c, kTlsErrHandshake, now); }

  // --- the protocol, for the backend ---
  void connected(LoadConn& c, uint64_t now, int err);        // a connect finished (err: its errno)
  void connect_failed(LoadConn& c, int err, uint64_t now);   // counted by kind, then retried
  void handshaken(LoadConn& c, uint64_t now);                // the TLS handshake finished
  void tls_failed(LoadConn& c, TlsError why, uint64_t now);  // counted by kind, then retried
  // A TLS read after the handshake stopped with kClosed (the peer's close) or kFailed (*why).
  void tls_read_ended(LoadConn& c, TlsClient::Step step, TlsError why, uint64_t now);
  // A TLS failure after the handshake: counted by kind, the requests lost, reconnected at once.
  void tls_broke(LoadConn& c, TlsError why, uint64_t now);
  // --tls-early-data, once c.ssl is made: whether the batch goes as early data (c.early).
  void early_begin(LoadConn& c, uint64_t now);
  // Writes the batch as early data: kDone once all of it went, kWantRead/kWantWrite to wait,
  // kFailed after tls_failed().
  TlsClient::Step early_write(LoadConn& c, uint64_t now);
  // The ramp (connections not yet opened) and the sweep, each when due.
  void tick(uint64_t now);
  void on_input(LoadConn& c, size_t n, uint64_t now);  // n bytes were committed to c.in
  // Copies bytes read elsewhere into c.in, parsing as it goes; false once c was restarted.
  bool on_input_bytes(LoadConn& c, const char* p, size_t n, uint64_t now);
  void on_eof(LoadConn& c, uint64_t now);
  // Before the first read into c.in: allocates it (false when memory could not be had).
  bool ensure_input(LoadConn& c);
  void fail(LoadConn& c, LoadError kind, uint64_t now);
  void fill(LoadConn& c, uint64_t now);
  void sweep(uint64_t now);
  // Moves into draining at the window's end; true when the loop must end now.
  bool should_stop(uint64_t now);
  // When the loop must wake at the latest (the next sweep, the window's end).
  uint64_t wake_at(uint64_t now) const;
  void note_due(LoadConn& c);  // open loop: wake when c's next request comes due
  void run_due(uint64_t now);  // open loop: start the requests come due
  // `now`: a clock reading taken before this turn's answers were counted; every answer counted
  // later is stamped at or after it, so progress() knows the seconds before it are complete.
  void publish(uint64_t now);

  LoadPlan& plan_;
  int index_;
  uint32_t depth_;  // requests in flight per connection at most
  std::vector<std::unique_ptr<LoadConn>> conns_;
  uint64_t next_timer_ = 0;      // when sweep() must run next
  bool draining_ = false;        // after the window: no new requests, only answers awaited
  uint64_t inflight_total_ = 0;  // requests in flight on all connections of this thread
  TlsClient tls_;                // https: this thread's context and session
  // The bytes a pending write sends: the shared batch, or the connection's HTTP/2 output.
  const char* out_ptr(const LoadConn& c) const {
    return (c.h2 != nullptr ? c.h2_out.data() : plan_.batch.data()) + c.out_off;
  }

 private:
  // requests_follow: fill() stages requests right after, and a TLS handshake waits for them.
  bool open(LoadConn& c, uint64_t now, bool requests_follow = false);
  void early_settle(LoadConn& c);
  void fill_now(LoadConn& c, uint64_t now);
  bool open_paced(LoadConn& c, uint64_t now);
  void established(LoadConn& c, uint64_t now);
  void tcp_established(LoadConn& c, uint64_t now);
  void first_open(LoadConn& c, uint64_t now);
  void ramp(uint64_t now);
  void close_conn(LoadConn& c);
  void restart(LoadConn& c, uint64_t now);
  void lose_inflight(LoadConn& c, LoadError kind, uint64_t now);
  bool parse_http(LoadConn& c, uint64_t now);
  bool parse_echo(LoadConn& c, uint64_t now);
  bool complete(LoadConn& c, uint64_t now, int status, unsigned diff = 0);
  // --check: a bit per CheckField in which the answer just parsed differs from the expected.
  unsigned differs(const ResponseParser& p) const;
  uint32_t claim(uint32_t want);
  void record_answer(uint64_t start, uint64_t now, int status, unsigned diff);
  // HTTP/2 (load_thread_h2.cc).
  bool h2_start(LoadConn& c);
  void h2_fill(LoadConn& c, uint32_t k, uint64_t now);
  void h2_flush(LoadConn& c, uint64_t now);
  bool h2_input(LoadConn& c, const char* p, size_t n, uint64_t now);
  void h2_stream_done(uint32_t slot, int status, uint64_t body_bytes, uint32_t error_code) override;
  void h2_goaway() override;
  uint64_t oldest_sent(const LoadConn& c) const;
  H2Request h2_request_;
  LoadConn* h2_conn_ = nullptr;  // the connection whose session is calling back
  uint64_t h2_now_ = 0;
  void count_error(LoadError kind, uint64_t now, uint64_t n);
  bool in_window(uint64_t now) const { return now >= plan_.measure_start && now < plan_.measure_end; }

  uint64_t sweep_ns_;   // the longest gap between two sweeps (timeouts, reconnects)
  ConnectPacer pacer_;  // --connect-rate, this thread's share
  // Open loop: connections by next due time, a min-heap (lazy: an entry whose connection's
  // armed_due moved on is dropped when it comes up). O(log n) per request, however many
  // connections are held, where a scan of them all per due time would be O(n).
  struct Due {
    uint64_t at;
    LoadConn* conn;
    static bool later(const Due& a, const Due& b) { return a.at > b.at; }
  };
  std::vector<Due> due_;
  size_t ramp_next_ = 0;        // conns_[ramp_next_..] have not been opened yet
  uint64_t ramp_at_ = 0;        // when ramp() may open the next ones
  std::vector<char> scratch_;   // for moving a partial answer to the front of its buffer
  bool staging_early_ = false;  // early_begin(): fill_now() may stage on a connecting connection
};

}  // namespace evb
