#include "ring_buffer.h"

#include <gtest/gtest.h>

#include <string>

namespace evb {
namespace {

std::string drain(RingBuffer& r) {
  std::string s(r.size(), '\0');
  EXPECT_EQ(r.read(&s[0], s.size()), s.size());
  return s;
}

TEST(RingBuffer, StartsEmptyWithPowerOfTwoCapacity) {
  RingBuffer r(100);
  EXPECT_EQ(r.capacity(), 128u);
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.full());
  iovec iov[2];
  EXPECT_EQ(r.readable_iov(iov), 0);
  EXPECT_EQ(r.writable_iov(iov), 1);
  EXPECT_EQ(iov[0].iov_len, 128u);
  EXPECT_EQ(RingBuffer(1).capacity(), 16u);
}

TEST(RingBuffer, FullRefusesMore) {
  RingBuffer r(16);
  EXPECT_EQ(r.write("0123456789abcdefXYZ", 19), 16u);
  EXPECT_TRUE(r.full());
  EXPECT_EQ(r.free_space(), 0u);
  iovec iov[2];
  EXPECT_EQ(r.writable_iov(iov), 0);
  EXPECT_EQ(r.write("x", 1), 0u);
  EXPECT_EQ(drain(r), "0123456789abcdef");
  EXPECT_TRUE(r.empty());
}

TEST(RingBuffer, WrapsAroundInTwoSegments) {
  RingBuffer r(16);
  r.write("0123456789", 10);
  char tmp[8];
  r.read(tmp, 8);                               // head at 8, tail at 10
  EXPECT_EQ(r.write("abcdefghijkl", 12), 12u);  // 6 at the end, 6 wrapped to the front
  iovec iov[2];
  ASSERT_EQ(r.readable_iov(iov), 2);
  EXPECT_EQ(std::string(static_cast<char*>(iov[0].iov_base), iov[0].iov_len), "89abcdef");
  EXPECT_EQ(std::string(static_cast<char*>(iov[1].iov_base), iov[1].iov_len), "ghijkl");
  ASSERT_EQ(r.writable_iov(iov), 1);
  EXPECT_EQ(iov[0].iov_len, 2u);
  EXPECT_EQ(drain(r), "89abcdefghijkl");
}

TEST(RingBuffer, WritableIovCommitAndConsume) {
  RingBuffer r(16);
  r.write("0123456789ab", 12);
  r.consume(10);  // head 10, tail 12: free space is [12,16) and [0,10)
  iovec iov[2];
  ASSERT_EQ(r.writable_iov(iov), 2);
  EXPECT_EQ(iov[0].iov_len, 4u);
  EXPECT_EQ(iov[1].iov_len, 10u);
  std::memcpy(iov[0].iov_base, "WXYZ", 4);
  std::memcpy(iov[1].iov_base, "01", 2);
  r.commit(6);
  EXPECT_EQ(drain(r), "abWXYZ01");
}

TEST(RingBuffer, PeekDoesNotConsume) {
  RingBuffer r(16);
  r.write("hello", 5);
  char tmp[5];
  EXPECT_EQ(r.peek(tmp, 5), 5u);
  EXPECT_EQ(r.size(), 5u);
  EXPECT_EQ(drain(r), "hello");
}

TEST(RingBuffer, ReserveKeepsOrderAcrossTheWrap) {
  RingBuffer r(16);
  r.write("0123456789", 10);
  r.consume(8);
  r.write("abcdefghijkl", 12);  // wrapped
  EXPECT_TRUE(r.reserve(40));
  EXPECT_EQ(r.capacity(), 64u);
  EXPECT_EQ(r.write("MNOP", 4), 4u);
  EXPECT_EQ(drain(r), "89abcdefghijklMNOP");
  EXPECT_TRUE(r.reserve(10));  // never shrinks
  EXPECT_EQ(r.capacity(), 64u);
}

TEST(RingBuffer, LinearizeMakesWrappedDataContiguous) {
  RingBuffer r(16);
  r.write("0123456789", 10);
  r.consume(8);
  r.write("abcdefghijkl", 12);
  const char* p = r.linearize();
  EXPECT_EQ(std::string(p, r.size()), "89abcdefghijkl");
  iovec iov[2];
  EXPECT_EQ(r.readable_iov(iov), 1);
  EXPECT_EQ(r.write("XY", 2), 2u);  // the free space is still usable after the rotation
  EXPECT_EQ(drain(r), "89abcdefghijklXY");
}

TEST(RingBuffer, LinearizeOfContiguousDataIsANoOp) {
  RingBuffer r(16);
  r.write("abc", 3);
  r.consume(1);
  const char* before = r.linearize();
  EXPECT_EQ(std::string(before, 2), "bc");
  EXPECT_EQ(r.linearize(), before);
}

TEST(RingBuffer, ManyWrapsKeepByteOrder) {
  RingBuffer r(32);
  std::string sent, got;
  unsigned char next = 0;
  for (int round = 0; round < 1000; ++round) {
    size_t n = static_cast<size_t>(round * 7 % 23);
    std::string chunk;
    for (size_t i = 0; i < n; ++i) chunk.push_back(static_cast<char>(next++));
    size_t w = r.write(chunk.data(), chunk.size());
    sent.append(chunk, 0, w);
    next = static_cast<unsigned char>(next - (n - w));
    char tmp[32];
    size_t m = r.read(tmp, static_cast<size_t>(round * 5 % 19));
    got.append(tmp, m);
  }
  got += drain(r);
  EXPECT_EQ(got, sent);
}

}  // namespace
}  // namespace evb
