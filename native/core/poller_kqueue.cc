#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__) || defined(__DragonFly__)
#include "poller.h"

#include <sys/event.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

namespace evb {
namespace {
constexpr uintptr_t kWakeIdent = 0;

// kqueue keeps one filter per direction, so interest changes become EV_ADD/EV_DELETE pairs.
int apply(int kq, int fd, uint32_t interest, void* data, bool is_new) {
  struct kevent ch[2];
  unsigned short clear = (interest & kEdge) ? EV_CLEAR : 0;
  int n = 0;
  if (interest & kReadable) {
    EV_SET(&ch[n++], fd, EVFILT_READ, EV_ADD | EV_ENABLE | clear, 0, 0, data);
  } else if (!is_new) {
    EV_SET(&ch[n++], fd, EVFILT_READ, EV_DELETE, 0, 0, nullptr);
  }
  if (interest & kWritable) {
    EV_SET(&ch[n++], fd, EVFILT_WRITE, EV_ADD | EV_ENABLE | clear, 0, 0, data);
  } else if (!is_new) {
    EV_SET(&ch[n++], fd, EVFILT_WRITE, EV_DELETE, 0, 0, nullptr);
  }
  // EV_DELETE of a filter that was never added yields ENOENT per change; ignore those.
  for (int i = 0; i < n; ++i) {
    if (kevent(kq, &ch[i], 1, nullptr, 0, nullptr) < 0 && errno != ENOENT) return -errno;
  }
  return 0;
}
}  // namespace

Poller::Poller() {
  fd_ = kqueue();
  if (fd_ < 0) {
    init_error_ = errno;
    return;
  }
  struct kevent ev;
  EV_SET(&ev, kWakeIdent, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, nullptr);
  if (kevent(fd_, &ev, 1, nullptr, 0, nullptr) < 0) init_error_ = errno;
}

Poller::~Poller() {
  if (fd_ >= 0) close(fd_);
}

int Poller::add(int fd, uint32_t interest, void* data) { return apply(fd_, fd, interest, data, true); }
int Poller::modify(int fd, uint32_t interest, void* data) { return apply(fd_, fd, interest, data, false); }

int Poller::remove(int fd) {
  apply(fd_, fd, 0, nullptr, false);
  return 0;  // closing the fd removes its filters anyway
}

int Poller::wait(PollEvent* out, int max, int64_t timeout_us) {
  constexpr int kBatch = 256;
  struct kevent evs[kBatch];
  if (max > kBatch) max = kBatch;
  timespec ts{};
  timespec* tsp = nullptr;
  if (timeout_us >= 0) {
    ts.tv_sec = static_cast<time_t>(timeout_us / 1000000);
    ts.tv_nsec = static_cast<long>((timeout_us % 1000000) * 1000);
    tsp = &ts;
  }
  int n = kevent(fd_, nullptr, 0, evs, max, tsp);
  if (n < 0) return errno == EINTR ? 0 : -errno;
  int k = 0;
  for (int i = 0; i < n; ++i) {
    if (evs[i].filter == EVFILT_USER) continue;
    uint32_t e = evs[i].filter == EVFILT_READ ? kReadable : kWritable;
    if (evs[i].flags & (EV_EOF | EV_ERROR)) e |= kHangup;
    // Readable and writable arrive as two kevents for one fd; callers handle both orders.
    out[k].data = evs[i].udata;
    out[k].events = e;
    ++k;
  }
  return k;
}

void Poller::wake() {
  struct kevent ev;
  EV_SET(&ev, kWakeIdent, EVFILT_USER, 0, NOTE_TRIGGER, 0, nullptr);
  kevent(fd_, &ev, 1, nullptr, 0, nullptr);
}

}  // namespace evb
#endif
