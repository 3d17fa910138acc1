#include "http_answer.h"

#include <cstring>

namespace evb {
namespace {

struct AnswerSpec {
  const char* status;
  const char* type;
  const char* body;
};

// Indexed by Answer. Error answers are always sent with Connection: close.
const AnswerSpec kSpecs[] = {
    {"200 OK", "text/plain", "Hello, World!"},
    {"404 Not Found", "text/plain", "Not Found"},
    {"400 Bad Request", "text/plain", "Bad Request"},
    {"431 Request Header Fields Too Large", "text/plain", "Request Header Fields Too Large"},
    {"413 Content Too Large", "text/plain", "Content Too Large"},
};

const char* const kConnLines[] = {"", "Connection: close\r\n", "Connection: keep-alive\r\n"};

class Writer {
 public:
  explicit Writer(char* p) : p_(p), start_(p) {}
  Writer& put(const char* s) { return put(s, std::strlen(s)); }
  Writer& put(const char* s, size_t n) {
    std::memcpy(p_, s, n);
    p_ += n;
    return *this;
  }
  Writer& put(uint64_t v) {
    char digits[20];
    int k = 0;
    do {
      digits[k++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (k > 0) *p_++ = digits[--k];
    return *this;
  }
  size_t size() const { return static_cast<size_t>(p_ - start_); }

 private:
  char* p_;
  char* start_;
};

}  // namespace

void AnswerCache::rebuild(time_t now) {
  char date[kHttpDateLen];
  http_date_format(now, date);
  date_sec_ = now;
  for (int a = 0; a < static_cast<int>(Answer::kCount); ++a) {
    const AnswerSpec& s = kSpecs[a];
    for (int c = 0; c < static_cast<int>(ConnHeader::kCount); ++c) {
      Writer w(answers_[a][c].bytes);
      w.put("HTTP/1.1 ").put(s.status).put("\r\nServer: evbench\r\nDate: ").put(date, kHttpDateLen);
      w.put("\r\nContent-Type: ").put(s.type).put("\r\n").put(kConnLines[c]);
      w.put("Content-Length: ").put(static_cast<uint64_t>(std::strlen(s.body))).put("\r\n\r\n");
      answers_[a][c].head_len = w.size();
      w.put(s.body);
      answers_[a][c].len = w.size();
    }
  }
  for (int c = 0; c < static_cast<int>(ConnHeader::kCount); ++c) {
    Writer w(echo_prefix_[c].bytes);
    w.put("HTTP/1.1 200 OK\r\nServer: evbench\r\nDate: ").put(date, kHttpDateLen);
    w.put("\r\nContent-Type: application/octet-stream\r\n").put(kConnLines[c]);
    echo_prefix_[c].head_len = w.size();  // where "Transfer-Encoding" or the blank line may go
    w.put("Content-Length: ");
    echo_prefix_[c].len = w.size();
  }
}

size_t AnswerCache::echo_chunked_head(char* out, ConnHeader c, bool until_close) const {
  const Slot& p = echo_prefix_[static_cast<int>(c)];
  Writer w(out);
  w.put(p.bytes, p.head_len).put(until_close ? "\r\n" : "Transfer-Encoding: chunked\r\n\r\n");
  return w.size();
}

size_t AnswerCache::echo_head(char* out, uint64_t body_len, ConnHeader c) const {
  const Slot& p = echo_prefix_[static_cast<int>(c)];
  Writer w(out);
  w.put(p.bytes, p.len).put(body_len).put("\r\n\r\n");
  return w.size();
}

}  // namespace evb
