#if defined(__linux__)
#include "poller.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <ctime>

namespace evb {
namespace {

uint32_t to_epoll(uint32_t interest) {
  uint32_t ev = EPOLLRDHUP;
  if (interest & kReadable) ev |= EPOLLIN;
  if (interest & kWritable) ev |= EPOLLOUT;
  if (interest & kEdge) ev |= EPOLLET;
  return ev;
}

uint32_t from_epoll(uint32_t ev) {
  uint32_t out = 0;
  if (ev & EPOLLIN) out |= kReadable;
  if (ev & EPOLLOUT) out |= kWritable;
  if (ev & (EPOLLHUP | EPOLLERR | EPOLLRDHUP)) out |= kHangup;
  return out;
}

// epoll_pwait2 (Linux 5.11) takes a timespec, so open-loop pacing is not rounded to a
// millisecond; older kernels fall back to epoll_wait with the timeout rounded up.
bool g_no_pwait2 = false;

int wait_raw(int epfd, epoll_event* evs, int max, int64_t timeout_us) {
#ifdef SYS_epoll_pwait2
  if (!g_no_pwait2 && timeout_us > 0) {
    timespec ts{static_cast<time_t>(timeout_us / 1000000), static_cast<long>((timeout_us % 1000000) * 1000)};
    long n = syscall(SYS_epoll_pwait2, epfd, evs, max, &ts, nullptr, 0);
    if (n >= 0) return static_cast<int>(n);
    if (errno != ENOSYS) return -errno;
    g_no_pwait2 = true;
  }
#endif
  int ms = timeout_us < 0 ? -1 : static_cast<int>((timeout_us + 999) / 1000);
  int n = epoll_wait(epfd, evs, max, ms);
  return n >= 0 ? n : -errno;
}

}  // namespace

Poller::Poller() {
  fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (fd_ < 0) {
    init_error_ = errno;
    return;
  }
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    init_error_ = errno;
    return;
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // the wake channel is the only registration with a null pointer
  if (epoll_ctl(fd_, EPOLL_CTL_ADD, wake_fd_, &ev) < 0) init_error_ = errno;
}

Poller::~Poller() {
  if (wake_fd_ >= 0) close(wake_fd_);
  if (fd_ >= 0) close(fd_);
}

int Poller::add(int fd, uint32_t interest, void* data) {
  epoll_event ev{};
  ev.events = to_epoll(interest);
  ev.data.ptr = data;
  return epoll_ctl(fd_, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

int Poller::modify(int fd, uint32_t interest, void* data) {
  epoll_event ev{};
  ev.events = to_epoll(interest);
  ev.data.ptr = data;
  return epoll_ctl(fd_, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
}

int Poller::remove(int fd) {
  epoll_event ev{};  // non-null for kernels before 2.6.9
  return epoll_ctl(fd_, EPOLL_CTL_DEL, fd, &ev) < 0 ? -errno : 0;
}

int Poller::wait(PollEvent* out, int max, int64_t timeout_us) {
  constexpr int kBatch = 256;
  epoll_event evs[kBatch];
  if (max > kBatch) max = kBatch;
  int n = wait_raw(fd_, evs, max, timeout_us);
  if (n == -EINTR) return 0;
  if (n < 0) return n;
  int k = 0;
  for (int i = 0; i < n; ++i) {
    if (evs[i].data.ptr == nullptr) {
      uint64_t v;
      while (read(wake_fd_, &v, sizeof v) > 0) {
      }
      continue;
    }
    out[k].data = evs[i].data.ptr;
    out[k].events = from_epoll(evs[i].events);
    ++k;
  }
  return k;
}

void Poller::wake() {
  uint64_t one = 1;
  ssize_t r = write(wake_fd_, &one, sizeof one);
  (void)r;  // EAGAIN means a wake-up is already pending
}

}  // namespace evb
#endif
