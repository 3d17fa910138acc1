// The framing, fed the way the server feeds it: bytes arrive in arbitrary pieces, consumed
// prefixes are dropped, everything else is presented again with more behind it.
#include "http_request.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace evb {
namespace {

// Feeds `pieces` in order and writes a transcript: one line per request head, its body and end,
// or the error that stopped the framer.
std::string frame(const std::vector<std::string>& pieces, const FramerLimits& limits = FramerLimits()) {
  RequestFramer f(limits);
  std::string pending, out, body;
  bool failed = false;
  for (const std::string& piece : pieces) {
    if (failed) break;
    pending += piece;
    for (;;) {
      size_t used = 0;
      FrameEvent e = f.next(pending.data(), pending.size(), &used);
      EXPECT_LE(used, pending.size());
      if (e == FrameEvent::kHead) {
        const RequestHead& h = f.head();
        out += "H " + std::string(h.method, h.method_len) + " " + std::string(h.path, h.path_len) + " 1." +
               std::to_string(h.minor_version) + (h.keep_alive ? " ka" : " close") +
               (h.chunked ? " chunked" : " cl=" + std::to_string(h.content_length)) + "\n";
      } else if (e == FrameEvent::kBody) {
        EXPECT_GT(f.body_len(), 0u);
        body.append(f.body(), f.body_len());
      } else if (e == FrameEvent::kEnd) {
        out += "B[" + body + "]\n";
        body.clear();
      } else if (e == FrameEvent::kError) {
        out += "ERR " + std::to_string(f.error_status()) + "\n";
        failed = true;
      }
      pending.erase(0, used);
      if (failed || (e == FrameEvent::kNeedMore && used == 0)) break;
    }
  }
  return out;
}

std::string frame(const std::string& all, const FramerLimits& limits = FramerLimits()) {
  return frame(std::vector<std::string>{all}, limits);
}

// The same transcript whatever the split: at every single byte boundary, and byte by byte.
void expect_split_invariant(const std::string& input, const FramerLimits& limits = FramerLimits()) {
  std::string whole = frame(input, limits);
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    ASSERT_EQ(frame({input.substr(0, cut), input.substr(cut)}, limits), whole) << "split at " << cut;
  }
  std::vector<std::string> bytes;
  for (char c : input) bytes.emplace_back(1, c);
  ASSERT_EQ(frame(bytes, limits), whole) << "byte by byte";
}

const char kGet[] = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";

TEST(Framing, SimpleGet) {
  EXPECT_EQ(frame(kGet), "H GET /plaintext 1.1 ka cl=0\nB[]\n");
  expect_split_invariant(kGet);
}

TEST(Framing, PathStopsAtQuery) {
  EXPECT_EQ(frame("GET /plaintext?x=1&y HTTP/1.1\r\n\r\n"), "H GET /plaintext 1.1 ka cl=0\nB[]\n");
}

TEST(Framing, ContentLengthBody) {
  std::string req = "POST /echo HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world";
  EXPECT_EQ(frame(req), "H POST /echo 1.1 ka cl=11\nB[hello world]\n");
  expect_split_invariant(req);
}

TEST(Framing, ChunkedWithExtensionsAndTrailers) {
  std::string req =
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
      "5;name=value;flag\r\nhello\r\n6 ; x=\"q\"\r\n world\r\nA\r\n0123456789\r\n0;last\r\nTrailer-A: 1\r\nB: "
      "2\r\n\r\n";
  // gzip is not undone (the framer only frames); chunked being final is what counts.
  EXPECT_EQ(frame(req), "H POST /echo 1.1 ka chunked\nB[hello world0123456789]\n");
  expect_split_invariant(req);
}

TEST(Framing, ChunkedWithBareLf) {
  EXPECT_EQ(frame("POST /echo HTTP/1.1\ntransfer-encoding: Chunked\n\n3\nabc\n0\n\n"),
            "H POST /echo 1.1 ka chunked\nB[abc]\n");
}

TEST(Framing, PipelinedBatch) {
  std::string batch;
  for (int i = 0; i < 16; ++i) batch += kGet;
  batch += "POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
  batch += "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n";
  batch += "GET /other HTTP/1.1\r\nConnection: close\r\n\r\n";
  std::string expect;
  for (int i = 0; i < 16; ++i) expect += "H GET /plaintext 1.1 ka cl=0\nB[]\n";
  expect += "H POST /echo 1.1 ka cl=3\nB[abc]\nH POST /echo 1.1 ka chunked\nB[xy]\nH GET /other 1.1 close cl=0\nB[]\n";
  EXPECT_EQ(frame(batch), expect);
  expect_split_invariant(batch);
}

TEST(Framing, KeepAliveRules) {
  EXPECT_EQ(frame("GET / HTTP/1.0\r\n\r\n"), "H GET / 1.0 close cl=0\nB[]\n");
  EXPECT_EQ(frame("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"), "H GET / 1.0 ka cl=0\nB[]\n");
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"), "H GET / 1.1 close cl=0\nB[]\n");
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nconnection: Upgrade, CLOSE \r\n\r\n"), "H GET / 1.1 close cl=0\nB[]\n");
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n"), "H GET / 1.1 ka cl=0\nB[]\n");
}

TEST(Framing, ConnectionTokensAreWhole) {
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nConnection: unclosed\r\n\r\n"), "H GET / 1.1 ka cl=0\nB[]\n");
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nConnection: keep-alive, close\r\n\r\n"), "H GET / 1.1 close cl=0\nB[]\n");
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nConnection: Upgrade ,CLOSE\r\n\r\n"), "H GET / 1.1 close cl=0\nB[]\n");
  EXPECT_EQ(frame("GET / HTTP/1.0\r\nConnection: keep-alived\r\n\r\n"), "H GET / 1.0 close cl=0\nB[]\n");
}

TEST(Framing, ExpectContinueIsReported) {
  RequestFramer f;
  size_t used;
  std::string req = "POST /echo HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n";
  ASSERT_EQ(f.next(req.data(), req.size(), &used), FrameEvent::kHead);
  EXPECT_TRUE(f.head().expect_continue);
  RequestFramer g;
  ASSERT_EQ(g.next(kGet, sizeof kGet - 1, &used), FrameEvent::kHead);
  EXPECT_FALSE(g.head().expect_continue);
}

TEST(Framing, LeadingEmptyLinesAreIgnored) {
  std::string req = std::string("\r\n\r\n") + kGet;
  EXPECT_EQ(frame(req), "H GET /plaintext 1.1 ka cl=0\nB[]\n");
  expect_split_invariant(req);
}

TEST(Framing, MalformedIs400) {
  const char* bad[] = {
      "GET  /plaintext HTTP/1.1\r\n\r\n",  // two spaces
      "G(T / HTTP/1.1\r\n\r\n",            // not a token
      "GET /\r\n\r\n",                     // no version
      "GET / HTTP/2.0\r\n\r\n",
      "GET / HTTP/1.1 \r\n\r\n",
      "GET / HTTP/1.1\r\nHost\r\n\r\n",             // no colon
      "GET / HTTP/1.1\r\nHost : x\r\n\r\n",         // space before the colon
      "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",  // obs-fold
      "GET / HTTP/1.1\r\nA: b\rc\r\n\r\n",          // bare CR
      "POST /echo HTTP/1.1\r\nContent-Length: 12a\r\n\r\n",
      "POST /echo HTTP/1.1\r\nContent-Length: \r\n\r\n",
      "POST /echo HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
      "POST /echo HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n;x\r\n",
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX",
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\rX",
  };
  for (const char* b : bad) {
    std::string s(b);
    std::string t = frame(s);
    EXPECT_EQ(t.substr(t.size() - 8), "ERR 400\n") << s;
  }
  std::string nul("GET / HTTP/1.1\r\nA: b\0c\r\n\r\n", 26);
  EXPECT_EQ(frame(nul), "ERR 400\n");
}

TEST(Framing, MalformedAfterAGoodRequestStillAnswersTheFirst) {
  std::string s = std::string(kGet) + "BAD REQUEST\r\n\r\n";
  EXPECT_EQ(frame(s), "H GET /plaintext 1.1 ka cl=0\nB[]\nERR 400\n");
  expect_split_invariant(s);
}

TEST(Framing, HeaderLimitIs431) {
  FramerLimits limits;
  std::string start = "GET / HTTP/1.1\r\nX: ";
  std::string fits = start + std::string(limits.max_header_bytes - start.size() - 4, 'a') + "\r\n\r\n";
  ASSERT_EQ(fits.size(), limits.max_header_bytes);
  EXPECT_EQ(frame(fits), "H GET / 1.1 ka cl=0\nB[]\n");
  std::string over = start + std::string(limits.max_header_bytes - start.size() - 3, 'a') + "\r\n\r\n";
  EXPECT_EQ(frame(over), "ERR 431\n");
  // Incomplete, but already past the limit: no need to wait for the rest.
  EXPECT_EQ(frame(start + std::string(limits.max_header_bytes, 'a')), "ERR 431\n");
  std::vector<std::string> trickle(limits.max_header_bytes + 10, "a");
  trickle.insert(trickle.begin(), start);
  EXPECT_EQ(frame(trickle), "ERR 431\n");
}

TEST(Framing, HeaderCountLimitIs431) {
  FramerLimits limits;
  limits.max_headers = 3;
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits), "H GET / 1.1 ka cl=0\nB[]\n");
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", limits), "ERR 431\n");
}

TEST(Framing, BodyLimitIs413) {
  FramerLimits limits;
  limits.max_body_bytes = 10;
  EXPECT_EQ(frame("POST /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", limits),
            "H POST /echo 1.1 ka cl=10\nB[0123456789]\n");
  EXPECT_EQ(frame("POST /echo HTTP/1.1\r\nContent-Length: 11\r\n\r\n", limits), "ERR 413\n");
  EXPECT_EQ(frame("POST /echo HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", limits), "ERR 413\n");
  std::string chunked = "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n5\r\n";
  EXPECT_EQ(frame(chunked, limits), "H POST /echo 1.1 ka chunked\nERR 413\n");
  EXPECT_EQ(frame("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n", limits),
            "H POST /echo 1.1 ka chunked\nERR 413\n");
  expect_split_invariant(chunked, limits);
}

TEST(Framing, TrailerLimitIs431) {
  FramerLimits limits;
  limits.max_header_bytes = 64;
  std::string s =
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: " + std::string(100, 'x') + "\r\n\r\n";
  EXPECT_EQ(frame(s, limits), "H POST /echo 1.1 ka chunked\nERR 431\n");
}

TEST(Framing, ResetStartsOver) {
  RequestFramer f;
  size_t used;
  std::string partial = "POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nab";
  EXPECT_EQ(f.next(partial.data(), partial.size(), &used), FrameEvent::kHead);
  f.reset();
  EXPECT_TRUE(f.in_head());
  EXPECT_EQ(f.next(kGet, sizeof kGet - 1, &used), FrameEvent::kHead);
  EXPECT_EQ(used, sizeof kGet - 1);
}

}  // namespace
}  // namespace evb
