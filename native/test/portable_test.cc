// The portability functions (native/core/portable.h) on a real socket pair: every socket comes
// out non-blocking (when asked) and close-on-exec, the accepted one too; pinning works where the
// platform has it. portable_generic_test.cc compiles this file again with the non-Linux fallbacks.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>

#include "portable.h"

namespace {

bool nonblocking(int fd) { return (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0; }
bool cloexec(int fd) { return (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

// A loopback listener on an ephemeral port; returns its fd and sets *port.
int listen_loopback(int* port) {
  int fd = evb::stream_socket(AF_INET);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&a), len) != 0 || listen(fd, 8) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    return -1;
  *port = ntohs(a.sin_port);
  return fd;
}

void connect_to(int port) {
  int c = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  close(c);  // the accepted end stays valid after the peer closes
}

TEST(Portable, StreamSocketIsNonBlockingAndCloseOnExec) {
  int fd = evb::stream_socket(AF_INET);
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(nonblocking(fd));
  EXPECT_TRUE(cloexec(fd));
  close(fd);
}

TEST(Portable, AcceptedSocketsGetTheAskedFlags) {
  int port = 0;
  int lfd = listen_loopback(&port);
  ASSERT_GE(lfd, 0);
  EXPECT_LT(evb::accept_socket(lfd, true), 0);  // nothing pending: the listener does not block
  EXPECT_TRUE(errno == EAGAIN || errno == EWOULDBLOCK);
  for (bool nonblock : {true, false}) {
    connect_to(port);
    int fd = -1;
    for (int i = 0; i < 1000 && fd < 0; ++i) fd = evb::accept_socket(lfd, nonblock), usleep(fd < 0 ? 1000 : 0);
    ASSERT_GE(fd, 0);
    EXPECT_EQ(nonblocking(fd), nonblock);
    EXPECT_TRUE(cloexec(fd));
    close(fd);
  }
  close(lfd);
}

TEST(Portable, PinningAndTheSendFlagFollowThePlatform) {
#if defined(EVB_PORTABLE_GENERIC)
  EXPECT_FALSE(evb::pin_thread(sched_getcpu()));  // the macOS path: no affinity call
  EXPECT_EQ(evb::kSendNoSignal, 0);
#else
  EXPECT_TRUE(evb::pin_thread(sched_getcpu()));  // a CPU this thread may use
  EXPECT_EQ(evb::kSendNoSignal, MSG_NOSIGNAL);
#endif
  evb::name_thread("evb-test");
}

// The coarse clock is CLOCK_MONOTONIC's timeline read at a tick's resolution: never ahead of a
// later precise read, never far behind an earlier one (a second is many ticks on any platform).
TEST(Portable, CoarseClockFollowsTheMonotonicClock) {
  auto ms = [](clockid_t id) {
    timespec ts{};
    EXPECT_EQ(clock_gettime(id, &ts), 0);
    return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
  };
  for (int i = 0; i < 100; ++i) {
    int64_t before = ms(CLOCK_MONOTONIC);
    int64_t coarse = ms(evb::kCoarseMonotonic);
    int64_t after = ms(CLOCK_MONOTONIC);
    EXPECT_LE(coarse, after);
    EXPECT_GT(coarse, before - 1000);
  }
}

}  // namespace
