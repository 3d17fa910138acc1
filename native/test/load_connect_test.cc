// The connect pacer, the arrival schedule and the connect error kinds, without sockets: their
// laws checked against the numbers they must give.
#include <gtest/gtest.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <set>

#include "load_arrival.h"
#include "load_connect.h"

namespace evb {
namespace {

TEST(ConnectPacer, SpacesConnectsAtTheRateAsked) {
  ConnectPacer p(1000, 0);  // one every 1 ms
  EXPECT_TRUE(p.take(0));
  EXPECT_FALSE(p.take(999999));
  EXPECT_EQ(p.next(), 1000000u);
  EXPECT_TRUE(p.take(1000000));
  // A loop that wakes 3 ms late catches up: the three due are granted at once, then no more.
  uint64_t at = 5000000;
  int granted = 0;
  while (p.take(at)) ++granted;
  EXPECT_EQ(granted, 4);  // due at 2, 3, 4 and 5 ms
  EXPECT_EQ(p.next(), 6000000u);
}

TEST(ConnectPacer, ForgetsALongStallInsteadOfBursting) {
  ConnectPacer p(1000, 0);
  EXPECT_TRUE(p.take(0));
  uint64_t late = 1000000 + ConnectPacer::kMaxLagNs + 1;
  EXPECT_TRUE(p.take(late));
  EXPECT_FALSE(p.take(late));
  EXPECT_EQ(p.next(), late + 1000000);
}

TEST(ConnectPacer, UnpacedAlwaysGrants) {
  ConnectPacer p(0, 0);
  EXPECT_FALSE(p.paced());
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(p.take(0));
}

TEST(Arrival, ConstantGapsAreTheMean) {
  uint64_t s = arrival_seed(1, 0);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(arrival_gap(false, 12345, &s), 12345u);
}

TEST(Arrival, PoissonGapsAreExponentialWithTheMean) {
  // 200,000 exponential draws of mean 1 ms: the sample mean is within 1 % (sd 0.22 %), the
  // coefficient of variation is 1, and P(gap > mean) is 1/e.
  uint64_t s = arrival_seed(42, 7);
  const int n = 200000;
  const double mean = 1e6;
  double sum = 0, sq = 0;
  int above = 0;
  for (int i = 0; i < n; ++i) {
    double g = static_cast<double>(arrival_gap(true, static_cast<uint64_t>(mean), &s));
    sum += g;
    sq += g * g;
    if (g > mean) ++above;
  }
  double m = sum / n, cv = std::sqrt(sq / n - m * m) / m;
  EXPECT_NEAR(m / mean, 1.0, 0.01);
  EXPECT_NEAR(cv, 1.0, 0.02);
  EXPECT_NEAR(static_cast<double>(above) / n, std::exp(-1.0), 0.005);
}

TEST(Arrival, EachConnectionHasItsOwnReproducibleStream) {
  std::set<uint64_t> seeds;
  for (uint32_t id = 0; id < 1000; ++id) seeds.insert(arrival_seed(1, id));
  EXPECT_EQ(seeds.size(), 1000u);
  EXPECT_EQ(arrival_seed(9, 3), arrival_seed(9, 3));
  EXPECT_NE(arrival_seed(9, 3), arrival_seed(10, 3));
}

TEST(ConnectError, KindsFromErrno) {
  EXPECT_EQ(connect_error_kind(ECONNREFUSED), kConnErrRefused);
  EXPECT_EQ(connect_error_kind(ETIMEDOUT), kConnErrTimeout);
  EXPECT_EQ(connect_error_kind(EADDRNOTAVAIL), kConnErrAddrNotAvail);
  EXPECT_EQ(connect_error_kind(EADDRINUSE), kConnErrAddrNotAvail);
  EXPECT_EQ(connect_error_kind(EMFILE), kConnErrDescriptors);
  EXPECT_EQ(connect_error_kind(ENFILE), kConnErrDescriptors);
  EXPECT_EQ(connect_error_kind(ECONNRESET), kConnErrReset);
  EXPECT_EQ(connect_error_kind(EHOSTUNREACH), kConnErrUnreachable);
  EXPECT_EQ(connect_error_kind(EINVAL), kConnErrOther);
  EXPECT_STREQ(connect_error_name(kConnErrAddrNotAvail), "addrNotAvail");
}

}  // namespace
}  // namespace evb
