// The load client's one clock: CLOCK_MONOTONIC in nanoseconds (a vDSO call, no syscall).
#pragma once
#include <cstdint>
#include <ctime>

namespace evb {

inline uint64_t load_now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace evb
