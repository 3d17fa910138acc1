// One small readiness interface over epoll (Linux) and kqueue (macOS, BSD).
// Level-triggered by default; kEdge asks for edge-triggered delivery (EPOLLET / EV_CLEAR),
// in which case the caller must drain reads and writes until EAGAIN.
#pragma once
#include <cstdint>

namespace evb {

enum PollFlags : uint32_t {
  kReadable = 1u << 0,
  kWritable = 1u << 1,
  kHangup = 1u << 2,  // peer closed or error: reported, never requested
  kEdge = 1u << 3,    // request only
};

struct PollEvent {
  void* data;       // the pointer given to add()/modify(); nullptr never reaches callers
  uint32_t events;  // kReadable | kWritable | kHangup
};

class Poller {
 public:
  Poller();
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  // 0 when the backend and its wake-up channel were created, else the errno.
  int init_error() const { return init_error_; }

  // Each returns 0 or -errno. `data` must not be nullptr.
  int add(int fd, uint32_t interest, void* data);
  int modify(int fd, uint32_t interest, void* data);
  int remove(int fd);

  // Waits up to timeout_us microseconds (< 0: forever, 0: poll). Wake-ups from wake() are
  // consumed here and not reported. Returns the number of events written, or -errno.
  int wait(PollEvent* out, int max, int64_t timeout_us);

  // Thread-safe: makes a concurrent or the next wait() return promptly.
  void wake();

 private:
  int fd_ = -1;
#if defined(__linux__)
  int wake_fd_ = -1;  // the eventfd wake() writes; kqueue wakes with EVFILT_USER instead
#endif
  int init_error_ = 0;
};

}  // namespace evb
