// The few calls that differ between Linux, the BSDs and macOS, behind small functions, so the
// server and the load client build wherever the poller does (epoll or kqueue). Linux takes the
// first branch everywhere; EVB_PORTABLE_GENERIC forces the fallbacks on Linux, so the tests
// exercise them here (macOS itself is not available to build on).
#pragma once
#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#if defined(__FreeBSD__)
#include <pthread_np.h>
#include <sys/cpuset.h>
#endif

namespace evb {
#if defined(EVB_PORTABLE_GENERIC)
inline namespace portable_generic {  // other symbols than the core's Linux versions: no ODR clash
#endif

#if defined(__linux__) && !defined(EVB_PORTABLE_GENERIC)
#define EVB_HAS_ACCEPT4_SOCK_FLAGS 1
#define EVB_HAS_AFFINITY 1
#elif defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__) || defined(__DragonFly__)
#define EVB_HAS_ACCEPT4_SOCK_FLAGS 1
#endif

// send() flags that keep a peer's reset from raising SIGPIPE: MSG_NOSIGNAL where it exists;
// elsewhere (macOS) every socket gets SO_NOSIGPIPE from the functions below instead.
#if defined(MSG_NOSIGNAL) && !defined(EVB_PORTABLE_GENERIC)
inline constexpr int kSendNoSignal = MSG_NOSIGNAL;
#else
inline constexpr int kSendNoSignal = 0;
#endif

// The timeouts' clock: monotonic, read cheaply at a tick's resolution where the platform has such a
// clock (Linux's COARSE, FreeBSD's FAST, macOS's RAW_APPROX), else the precise CLOCK_MONOTONIC.
#if defined(CLOCK_MONOTONIC_COARSE) && !defined(EVB_PORTABLE_GENERIC)
inline constexpr clockid_t kCoarseMonotonic = CLOCK_MONOTONIC_COARSE;
#elif defined(CLOCK_MONOTONIC_FAST) && !defined(EVB_PORTABLE_GENERIC)
inline constexpr clockid_t kCoarseMonotonic = CLOCK_MONOTONIC_FAST;
#elif defined(CLOCK_MONOTONIC_RAW_APPROX) && !defined(EVB_PORTABLE_GENERIC)
inline constexpr clockid_t kCoarseMonotonic = CLOCK_MONOTONIC_RAW_APPROX;
#else
inline constexpr clockid_t kCoarseMonotonic = CLOCK_MONOTONIC;
#endif

// Non-blocking (when asked), close-on-exec and, without MSG_NOSIGNAL, SO_NOSIGPIPE.
inline bool prepare_socket(int fd, bool nonblock) {
  if (nonblock) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return false;
  }
  if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) return false;
#if defined(SO_NOSIGPIPE)
  int one = 1;
  if (kSendNoSignal == 0 && setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one) < 0) return false;
#endif
  return true;
}

// A non-blocking, close-on-exec stream socket; -1 with errno on failure.
inline int stream_socket(int family) {
#if defined(EVB_HAS_ACCEPT4_SOCK_FLAGS)
  return socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
#else
  int fd = socket(family, SOCK_STREAM, 0);
  if (fd >= 0 && !prepare_socket(fd, true)) {
    int err = errno;
    close(fd);
    errno = err;
    return -1;
  }
  return fd;
#endif
}

// accept4(SOCK_CLOEXEC [| SOCK_NONBLOCK]) where it exists, accept + fcntl elsewhere; -1 with errno.
inline int accept_socket(int listen_fd, bool nonblock) {
#if defined(EVB_HAS_ACCEPT4_SOCK_FLAGS)
  return accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0));
#else
  int fd = accept(listen_fd, nullptr, nullptr);
  if (fd >= 0 && !prepare_socket(fd, nonblock)) {
    int err = errno;
    close(fd);
    errno = err;
    return -1;
  }
  return fd;
#endif
}

// CPU numbers a pin may name: the affinity set's size where there is one; macOS has none, so
// only the range check's bound (pin_thread then declines every CPU).
#if defined(CPU_SETSIZE)
inline constexpr int kMaxCpus = CPU_SETSIZE;
#else
inline constexpr int kMaxCpus = 1024;
#endif

// Pins the calling thread to one CPU. false where that cannot be done (macOS has no affinity
// call; the BSDs differ): the thread then runs unpinned, and the caller may say so.
inline bool pin_thread(int cpu) {
#if defined(EVB_HAS_AFFINITY)
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
#elif defined(__FreeBSD__)
  cpuset_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
#else
  (void)cpu;
  return false;
#endif
}

// Names the calling thread (top, /proc, debuggers); best effort.
inline void name_thread(const char* name) {
#if defined(__APPLE__)
  pthread_setname_np(name);
#elif defined(__linux__) || defined(__NetBSD__) || defined(__FreeBSD__)
#if defined(__NetBSD__)
  pthread_setname_np(pthread_self(), "%s", const_cast<char*>(name));
#else
  pthread_setname_np(pthread_self(), name);
#endif
#else
  (void)name;
#endif
}

#if defined(EVB_PORTABLE_GENERIC)
}  // namespace portable_generic
#endif
}  // namespace evb
