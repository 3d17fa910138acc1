// The load client's response parser: every framing, split at every byte, pipelined batches,
// and the malformed answers that must be errors rather than hangs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_response.h"

namespace evb {
namespace {

struct Parsed {
  std::vector<int> statuses;
  std::vector<bool> closes;
  bool error = false;
};

// Feeds `wire` in pieces of `step` bytes, keeping unconsumed bytes as the load client does.
Parsed parse_all(const std::string& wire, size_t step, bool head = false) {
  ResponseParser p;
  p.reset(head);
  Parsed out;
  std::string buf;
  for (size_t at = 0; at < wire.size() && !out.error;) {
    buf.append(wire, at, step);
    at += step;
    size_t off = 0;
    while (off < buf.size()) {
      size_t used = 0;
      ResponseParser::Result r = p.feed(buf.data() + off, buf.size() - off, &used);
      off += used;
      if (r == ResponseParser::kError) {
        out.error = true;
        break;
      }
      if (r == ResponseParser::kNeedMore) break;
      out.statuses.push_back(p.status());
      out.closes.push_back(p.closes());
      p.reset(head);
    }
    buf.erase(0, off);
  }
  if (!out.error && !buf.empty()) out.error = true;  // trailing bytes that are no answer
  return out;
}

const std::string kPlain =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nServer: evbench\r\n"
    "Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n\r\nHello, World!";
const std::string kChunked =
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n8;ext=1\r\n, World!\r\n"
    "0\r\nX-Trailer: t\r\n\r\n";
const std::string kNotFound = "HTTP/1.1 404 Not Found\r\ncontent-length: 9\r\nConnection: close\r\n\r\nNot Found";

TEST(ResponseParser, ContentLengthSplitAtEveryByte) {
  for (size_t step = 1; step <= kPlain.size(); ++step) {
    Parsed r = parse_all(kPlain, step);
    ASSERT_FALSE(r.error) << step;
    ASSERT_EQ(r.statuses, std::vector<int>{200}) << step;
    EXPECT_FALSE(r.closes[0]);
  }
}

TEST(ResponseParser, ChunkedSplitAtEveryByte) {
  for (size_t step = 1; step <= kChunked.size(); ++step) {
    Parsed r = parse_all(kChunked, step);
    ASSERT_FALSE(r.error) << step;
    ASSERT_EQ(r.statuses, std::vector<int>{200}) << step;
  }
}

TEST(ResponseParser, PipelinedBatchOfMixedFramings) {
  std::string batch;
  std::vector<int> want;
  for (int i = 0; i < 16; ++i) {
    batch += i % 3 == 0 ? kChunked : kPlain;
    want.push_back(200);
  }
  batch += kNotFound;
  want.push_back(404);
  for (size_t step : {size_t{1}, size_t{7}, size_t{64}, batch.size()}) {
    Parsed r = parse_all(batch, step);
    ASSERT_FALSE(r.error) << step;
    EXPECT_EQ(r.statuses, want) << step;
    EXPECT_TRUE(r.closes.back());
  }
}

TEST(ResponseParser, NoBodyFor204And304AndHead) {
  Parsed r = parse_all("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n", 3);
  EXPECT_FALSE(r.error);
  EXPECT_EQ(r.statuses, (std::vector<int>{204, 304}));
  Parsed h = parse_all("HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n", 5, true);
  EXPECT_FALSE(h.error);
  EXPECT_EQ(h.statuses, std::vector<int>{200});
}

TEST(ResponseParser, InterimAnswersAreSkipped) {
  Parsed r = parse_all("HTTP/1.1 100 Continue\r\n\r\n" + kPlain, 1);
  EXPECT_FALSE(r.error);
  EXPECT_EQ(r.statuses, std::vector<int>{200});
}

TEST(ResponseParser, Http10ClosesUnlessKeptAlive) {
  Parsed a = parse_all("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 4);
  ASSERT_EQ(a.closes.size(), 1u);
  EXPECT_TRUE(a.closes[0]);
  Parsed b = parse_all("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", 4);
  ASSERT_EQ(b.closes.size(), 1u);
  EXPECT_FALSE(b.closes[0]);
}

// Connection and Transfer-Encoding are read as lists of whole tokens (http_tokens.h), the same
// way the request framer reads them: a token that merely contains "close" is not "close".
TEST(ResponseParser, ConnectionTokensAreWholeAndCaseInsensitive) {
  struct Case {
    const char* connection;
    bool closes;
  } cases[] = {
      {"unclosed", false}, {"keep-alive, close", true}, {"Keep-Alive ,  CLOSE", true},
      {"closed", false},   {"x-close", false},          {"upgrade,close", true},
  };
  for (const Case& c : cases) {
    Parsed r =
        parse_all(std::string("HTTP/1.1 200 OK\r\nConnection: ") + c.connection + "\r\nContent-Length: 0\r\n\r\n", 7);
    ASSERT_EQ(r.closes.size(), 1u) << c.connection;
    EXPECT_EQ(r.closes[0], c.closes) << c.connection;
  }
  // HTTP/1.0 keeps the connection only for a whole keep-alive token.
  Parsed kept = parse_all("HTTP/1.0 200 OK\r\nConnection: KEEP-ALIVE\r\nContent-Length: 0\r\n\r\n", 3);
  ASSERT_EQ(kept.closes.size(), 1u);
  EXPECT_FALSE(kept.closes[0]);
  Parsed not_kept = parse_all("HTTP/1.0 200 OK\r\nConnection: keep-alived\r\nContent-Length: 0\r\n\r\n", 3);
  ASSERT_EQ(not_kept.closes.size(), 1u);
  EXPECT_TRUE(not_kept.closes[0]);
  // "notchunked" is not chunked: the 5-byte body is read by its length.
  Parsed te = parse_all(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: notchunked\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 204 No "
      "Content\r\n\r\n",
      5);
  EXPECT_FALSE(te.error);
  EXPECT_EQ(te.statuses, (std::vector<int>{200, 204}));
}

TEST(ResponseParser, BodyUntilCloseEndsAtEof) {
  ResponseParser p;
  p.reset();
  std::string w = "HTTP/1.1 200 OK\r\n\r\nsome body";
  size_t used = 0;
  EXPECT_EQ(p.feed(w.data(), w.size(), &used), ResponseParser::kNeedMore);
  EXPECT_EQ(used, w.size());
  EXPECT_FALSE(p.idle());
  EXPECT_EQ(p.on_eof(), ResponseParser::kDone);
  EXPECT_TRUE(p.closes());
  ResponseParser q;
  q.reset();
  EXPECT_EQ(q.on_eof(), ResponseParser::kError);  // between answers, EOF completes nothing
}

TEST(ResponseParser, MalformedAnswersAreErrors) {
  const char* bad[] = {
      "garbage, not HTTP\r\n\r\n",
      "HTTP/2.0 200 OK\r\n\r\n",
      "HTTP/1.1 2x0 OK\r\nContent-Length: 1\r\n\r\nx",
      "HTTP/1.1 200OK\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx",
      "HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
      // Found by response_fuzz: a status below 100 parsed, and 0xx would pass for "no status".
      "HTTP/1.1 020 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 000 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 600 OK\r\nContent-Length: 0\r\n\r\n",
  };
  for (const char* w : bad) {
    for (size_t step : {size_t{1}, size_t{1000}}) EXPECT_TRUE(parse_all(w, step).error) << w << " step " << step;
  }
}

TEST(ResponseParser, GarbageIsRejectedFromItsFirstBytes) {
  ResponseParser p;
  p.reset();
  size_t used = 0;
  // No header end will ever come; the wrong first byte is enough.
  EXPECT_EQ(p.feed("X", 1, &used), ResponseParser::kError);
}

TEST(ResponseParser, OverlongChunkLineIsAnErrorHoweverItArrives) {
  // The limit held only while the line was incomplete: whole, it passed; cut, it failed.
  std::string w = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" +
                  std::string(ResponseParser::kMaxLine + 10, 'e') + "\r\nx\r\n0\r\n\r\n";
  EXPECT_TRUE(parse_all(w, w.size()).error);
  EXPECT_TRUE(parse_all(w, 1000).error);
}

TEST(ResponseParser, OversizedHeadIsAnError) {
  std::string w = "HTTP/1.1 200 OK\r\nX: " + std::string(ResponseParser::kMaxHead, 'a') + "\r\n\r\n";
  EXPECT_TRUE(parse_all(w, 4096).error);
}

}  // namespace
}  // namespace evb
