// What the two io_uring backends (load_uring, server_uring) share: when they ask whether io_uring
// can run here, the sysctl that may have disabled it and a provided buffer ring registered and
// dropped again on a probe ring; when they queue work, how a submission entry is taken.
// Included only where liburing is.
#pragma once
#include <liburing.h>
#include <sys/mman.h>

#include <cstring>
#include <fstream>
#include <string>

namespace evb {

// " (kernel.io_uring_disabled = N)" where the sysctl exists, to name why io_uring_setup failed.
inline std::string uring_disabled_sysctl() {
  std::ifstream f("/proc/sys/kernel/io_uring_disabled");
  std::string v;
  if (f >> v) return " (kernel.io_uring_disabled = " + v + ")";
  return "";
}

// "" when the kernel registers a provided buffer ring (5.19+) on `ring`, else why not.
inline std::string uring_buf_ring_unavailable(io_uring* ring) {
  void* mem = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
  if (mem == MAP_FAILED) return "";  // no memory to probe with: the ring's own setup will say

  io_uring_buf_reg reg{};
  reg.ring_addr = reinterpret_cast<uint64_t>(mem);
  reg.ring_entries = 8;
  int r = io_uring_register_buf_ring(ring, &reg, 0);
  std::string why = r < 0 ? std::string("io_uring: provided buffer ring (kernel 5.19+): ") + std::strerror(-r) : "";
  if (r == 0) io_uring_unregister_buf_ring(ring, 0);
  munmap(mem, 4096);
  return why;
}

// A free submission entry; when the queue is full, what is queued is submitted first. nullptr
// only if the kernel took none of it.
inline io_uring_sqe* uring_next_sqe(io_uring* ring) {
  io_uring_sqe* s = io_uring_get_sqe(ring);
  if (s == nullptr) {
    io_uring_submit(ring);
    s = io_uring_get_sqe(ring);
  }
  return s;
}

}  // namespace evb
