// What one load thread counted; merged across threads at the end. Errors are counted by kind
// and never stop a run (wrk's way): the count is the finding.
//
// Request accounting. Every request the generator commits to a connection (`sent`) ends in
// exactly one of three ways, so that at the end of every run, under pipelining too:
//
//     sent == completed_total + failed + unfinished
//
//   completed_total  answered, whatever the status (a non-2xx answer is also a kLoadErrStatus error)
//   failed           in flight when its connection failed: timed out (with every request
//                    pipelined behind it), reset or closed by the server before its answer
//                    (also behind an answer saying `Connection: close`), a bad response, a
//                    connect that failed under it
//   unfinished       still in flight when the run ended (the drain after the window is bounded)
//
// errors[kind] counts each failed request once under the kind that failed its connection; a
// failure with no request in flight (a refused connect with keep-alive, bytes nobody asked for)
// counts once. So errors[connect..badResponse] >= failed-in-window, equal when every failure
// had a request in flight.
#pragma once
#include <cstdint>
#include <vector>

#include "histogram.h"
#include "interval_latency.h"
#include "load_connect.h"
#include "load_tls.h"

namespace evb {

// kLoadErrTls: a handshake failed (by kind in LoadStats.tls), or the TLS layer failed mid-stream.
// kLoadErrGoaway: requests refused by an HTTP/2 GOAWAY (a GOAWAY that refuses none is no error);
// kLoadErrRstStream: a stream the server reset.
enum LoadError {
  kLoadErrConnect,
  kLoadErrReset,
  kLoadErrTimeout,
  kLoadErrBadResponse,
  kLoadErrStatus,
  kLoadErrTls,
  kLoadErrGoaway,
  kLoadErrRstStream,
  kLoadErrKinds
};
// --check: what differed in an answer (one answer may differ in several).
enum CheckField { kCheckStatus, kCheckLength, kCheckBody, kCheckFields };

struct LoadStats {
  uint64_t requests = 0;                // responses completed inside the measurement window
  uint64_t bytes_read = 0;              // bytes read inside the window
  uint64_t errors[kLoadErrKinds] = {};  // inside the window
  uint64_t status[6] = {};              // responses inside the window by status / 100 (1xx..5xx)
  uint64_t completed_total = 0;         // responses completed at any time: warm-up, window, drain
  uint64_t errors_total = 0;            // errors at any time
  uint64_t sent = 0;                    // requests committed to a connection, at any time
  uint64_t failed = 0;                  // requests lost in flight, at any time
  uint64_t unfinished = 0;              // requests in flight when the run ended
  // --check, inside the window: answers unlike the expected one (still answers: counted in
  // `requests`, never as failed), and by field.
  uint64_t mismatched = 0;
  uint64_t mismatch[kCheckFields] = {};
  std::vector<uint64_t> per_second;  // responses per second of the window
  Histogram latency;                 // nanoseconds, inside the window
  IntervalLatency intervals;         // the same latencies, one histogram per second of the window
  // Responses inside the window by exact status code (index = code, 100..599; 0 = echo).
  static constexpr size_t kStatusCodes = 600;
  std::vector<uint64_t> status_codes = std::vector<uint64_t>(kStatusCodes, 0);
  ConnectStats connect;  // every connect of the run, by outcome (load_connect.h)
  TlsStats tls;          // every handshake of the run (https only)

  void merge(const LoadStats& o) {
    requests += o.requests;
    bytes_read += o.bytes_read;
    for (int i = 0; i < kLoadErrKinds; ++i) errors[i] += o.errors[i];
    for (int i = 0; i < 6; ++i) status[i] += o.status[i];
    completed_total += o.completed_total;
    errors_total += o.errors_total;
    sent += o.sent;
    failed += o.failed;
    unfinished += o.unfinished;
    mismatched += o.mismatched;
    for (int i = 0; i < kCheckFields; ++i) mismatch[i] += o.mismatch[i];
    if (per_second.size() < o.per_second.size()) per_second.resize(o.per_second.size(), 0);
    for (size_t i = 0; i < o.per_second.size(); ++i) per_second[i] += o.per_second[i];
    latency.merge(o.latency);
    intervals.merge(o.intervals);
    for (size_t i = 0; i < kStatusCodes; ++i) status_codes[i] += o.status_codes[i];
    connect.merge(o.connect);
    tls.merge(o.tls);
  }
};

}  // namespace evb
