// A byte ring with power-of-two capacity. Head and tail run freely and are masked on use,
// so full and empty are told apart without a spare slot. Single-threaded: one per connection
// direction. Readable and writable regions are exposed as up to two iovecs, so a readv() fills
// the free space and a writev() drains the data without a copy.
#pragma once
#include <sys/uio.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace evb {

class RingBuffer {
 public:
  // capacity is rounded up to a power of two (minimum 16).
  explicit RingBuffer(size_t capacity = 4096) { allocate(round_up(capacity)); }
  ~RingBuffer() { std::free(buf_); }
  RingBuffer(const RingBuffer&) = delete;
  RingBuffer& operator=(const RingBuffer&) = delete;

  size_t capacity() const { return cap_; }
  size_t size() const { return static_cast<size_t>(tail_ - head_); }
  size_t free_space() const { return cap_ - size(); }
  bool empty() const { return head_ == tail_; }
  bool full() const { return size() == cap_; }

  // Readable bytes as up to two segments; returns the segment count (0, 1 or 2).
  int readable_iov(iovec iov[2]) const {
    size_t n = size();
    if (n == 0) return 0;
    size_t start = static_cast<size_t>(head_) & (cap_ - 1);
    size_t first = cap_ - start < n ? cap_ - start : n;
    iov[0] = {buf_ + start, first};
    if (first == n) return 1;
    iov[1] = {buf_, n - first};
    return 2;
  }

  // Free space as up to two segments; fill them, then commit() what was written.
  int writable_iov(iovec iov[2]) {
    size_t n = free_space();
    if (n == 0) return 0;
    size_t start = static_cast<size_t>(tail_) & (cap_ - 1);
    size_t first = cap_ - start < n ? cap_ - start : n;
    iov[0] = {buf_ + start, first};
    if (first == n) return 1;
    iov[1] = {buf_, n - first};
    return 2;
  }

  void commit(size_t n) { tail_ += n; }
  void consume(size_t n) { head_ += n; }
  void clear() { head_ = tail_ = 0; }

  // Copies in up to n bytes; returns how many fitted.
  size_t write(const void* src, size_t n) {
    size_t start = static_cast<size_t>(tail_) & (cap_ - 1);
    if (n <= cap_ - start && n <= free_space()) {  // the common case: one contiguous copy
      std::memcpy(buf_ + start, src, n);
      tail_ += n;
      return n;
    }
    iovec iov[2];
    int k = writable_iov(iov);
    const char* p = static_cast<const char*>(src);
    size_t done = 0;
    for (int i = 0; i < k && done < n; ++i) {
      size_t c = iov[i].iov_len < n - done ? iov[i].iov_len : n - done;
      std::memcpy(iov[i].iov_base, p + done, c);
      done += c;
    }
    tail_ += done;
    return done;
  }

  // Copies out up to n bytes without consuming them; returns how many were copied.
  size_t peek(void* dst, size_t n) const {
    iovec iov[2];
    int k = readable_iov(iov);
    char* p = static_cast<char*>(dst);
    size_t done = 0;
    for (int i = 0; i < k && done < n; ++i) {
      size_t c = iov[i].iov_len < n - done ? iov[i].iov_len : n - done;
      std::memcpy(p + done, iov[i].iov_base, c);
      done += c;
    }
    return done;
  }

  size_t read(void* dst, size_t n) {
    size_t c = peek(dst, n);
    head_ += c;
    return c;
  }

  // Grows (never shrinks) to hold at least min_capacity bytes, keeping the data in order.
  // Returns false when memory could not be had; the ring is then unchanged.
  bool reserve(size_t min_capacity) {
    if (min_capacity <= cap_) return true;
    size_t cap = round_up(min_capacity);
    char* nb = static_cast<char*>(std::malloc(cap));
    if (nb == nullptr) return false;
    size_t n = peek(nb, size());
    std::free(buf_);
    buf_ = nb;
    cap_ = cap;
    head_ = 0;
    tail_ = n;
    return true;
  }

  // Makes the readable bytes one contiguous span (for parsers that need it) and returns it.
  // Rotates in place (no allocation, so it cannot fail on a loop's hot path).
  const char* linearize() {
    size_t start = static_cast<size_t>(head_) & (cap_ - 1);
    if (start + size() <= cap_) return buf_ + start;
    size_t n = size();
    std::rotate(buf_, buf_ + start, buf_ + cap_);
    head_ = 0;
    tail_ = n;
    return buf_;
  }

 private:
  static size_t round_up(size_t n) {
    size_t c = 16;
    while (c < n) c <<= 1;
    return c;
  }
  void allocate(size_t cap) {
    buf_ = static_cast<char*>(std::malloc(cap));
    if (buf_ == nullptr) std::abort();
    cap_ = cap;
  }

  char* buf_ = nullptr;
  size_t cap_ = 0;
  uint64_t head_ = 0;  // next byte to read
  uint64_t tail_ = 0;  // next byte to write
};

}  // namespace evb
