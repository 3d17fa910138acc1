// A provided buffer ring, as both io_uring backends (server_uring, load_uring) use it: `count`
// receive buffers of `size` bytes that the kernel picks from for multishot receives, given back
// one by one as their bytes are copied out and published together once per loop turn. liburing
// 2.3 has no io_uring_setup_buf_ring (2.4): the ring is mapped and registered by hand.
// Included only where liburing is.
#pragma once
#include <liburing.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>

namespace evb {

class UringBuffers {
 public:
  UringBuffers() = default;
  UringBuffers(const UringBuffers&) = delete;
  UringBuffers& operator=(const UringBuffers&) = delete;
  ~UringBuffers() { release(); }

  // 0 once every buffer is offered to `ring` as buffer group `group`; else -errno, and
  // failed_call() names the call that failed. `count` must be a power of two.
  int setup(io_uring* ring, uint32_t count, uint32_t size, uint16_t group) {
    count_ = count;
    size_ = size;
    ring_bytes_ = count * sizeof(io_uring_buf);
    void* mem = mmap(nullptr, ring_bytes_, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (mem == MAP_FAILED) return fail("mmap", -errno);
    br_ = static_cast<io_uring_buf_ring*>(mem);
    io_uring_buf_ring_init(br_);
    io_uring_buf_reg reg{};
    reg.ring_addr = reinterpret_cast<uint64_t>(br_);
    reg.ring_entries = count;
    reg.bgid = group;
    int r = io_uring_register_buf_ring(ring, &reg, 0);
    if (r < 0) return fail("io_uring_register_buf_ring (kernel 5.19+)", r);
    bufs_ = static_cast<char*>(std::malloc(static_cast<size_t>(count) * size));
    if (bufs_ == nullptr) return fail("malloc (receive buffers)", -ENOMEM);
    for (uint32_t i = 0; i < count; ++i) add(i, static_cast<int>(i));
    io_uring_buf_ring_advance(br_, static_cast<int>(count));
    return 0;
  }
  const char* failed_call() const { return failed_call_; }

  // The bytes a receive completion delivered (it carries IORING_CQE_F_BUFFER when res > 0).
  const char* data(const io_uring_cqe* cqe) const { return bufs_ + static_cast<size_t>(id(cqe)) * size_; }

  // Offers the completion's buffer again (nothing when it carried none); seen by the kernel at
  // the next publish().
  void give_back(const io_uring_cqe* cqe) {
    if (cqe->flags & IORING_CQE_F_BUFFER) add(id(cqe), returned_++);
  }

  // Once per loop turn, after the completions were handled.
  void publish() {
    if (returned_ == 0) return;
    io_uring_buf_ring_advance(br_, returned_);
    returned_ = 0;
  }

  // After the ring is gone (its exit unregisters the group): the kernel no longer writes here.
  void release() {
    if (br_ != nullptr) munmap(br_, ring_bytes_);
    br_ = nullptr;
    std::free(bufs_);
    bufs_ = nullptr;
    returned_ = 0;
  }

 private:
  static unsigned id(const io_uring_cqe* cqe) { return cqe->flags >> IORING_CQE_BUFFER_SHIFT; }
  void add(unsigned bid, int offset) {
    io_uring_buf_ring_add(br_, bufs_ + static_cast<size_t>(bid) * size_, size_, static_cast<unsigned short>(bid),
                          io_uring_buf_ring_mask(count_), offset);
  }
  int fail(const char* call, int err) {
    failed_call_ = call;
    return err;
  }

  io_uring_buf_ring* br_ = nullptr;
  size_t ring_bytes_ = 0;
  char* bufs_ = nullptr;
  uint32_t count_ = 0;
  uint32_t size_ = 0;
  int returned_ = 0;  // buffers given back this turn, published together
  const char* failed_call_ = "";
};

}  // namespace evb
