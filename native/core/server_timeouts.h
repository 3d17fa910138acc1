// The native server's timeouts. Each connection carries one deadline and what it is for; the loop
// sets it with a store when the connection settles after an event (no syscall, no timer call per
// request: the loop's clock is read once per wake-up) and a sweep every kSweepMs walks the open
// connections and closes the expired ones. Timeouts are therefore enforced to within kSweepMs.
#pragma once
#include <cstdint>

namespace evb {

// kHeader: from the first byte of a request's head until the head is complete (absolute: a head
// trickling in a byte at a time is not extended). kBody: between two reads of a request body.
// kIdle: from the accept to the first byte, between keep-alive requests, while output waits for
// a peer that does not read, and while lingering after a closing answer.
enum class TimerKind : uint8_t { kNone, kHeader, kBody, kIdle };

struct ServerTimeouts {
  int64_t header_ms = 10000;  // 0 disables each
  int64_t body_ms = 30000;
  int64_t idle_ms = 60000;
};

constexpr int64_t kSweepMs = 250;
constexpr int64_t kNever = INT64_MAX;

inline int64_t timeout_ms(const ServerTimeouts& t, TimerKind k) {
  int64_t ms = k == TimerKind::kHeader ? t.header_ms : k == TimerKind::kBody ? t.body_ms : t.idle_ms;
  return ms > 0 ? ms : 0;
}

}  // namespace evb
