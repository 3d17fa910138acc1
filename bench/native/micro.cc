// Micro-benchmarks of the C++ core's hot parts, linked against the core directly (no Node):
// at a few nanoseconds per operation an N-API call per operation would be most of what is
// measured. Each task runs batches for sampleMs, `samples` times; one JSON document on stdout:
// {"tasks":[{"name","unit":"ns/op","samples":[...]}]}. Usage: micro [--sample-ms n] [--samples n]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "histogram.h"
#include "http_request.h"
#include "http_response.h"
#include "ring_buffer.h"

namespace {

volatile uint64_t g_sink;  // results land here so the compiler cannot drop the work

using Clock = std::chrono::steady_clock;

// ns per operation: `batch` runs `ops_per_batch` operations; batches repeat until sample_ms passed.
std::vector<double> measure(const std::function<void()>& batch, int ops_per_batch, int sample_ms, int samples) {
  std::vector<double> out;
  for (int i = 0; i < 3; ++i) batch();  // warm caches and branch predictors
  for (int s = 0; s < samples; ++s) {
    uint64_t ops = 0;
    auto start = Clock::now();
    auto until = start + std::chrono::milliseconds(sample_ms);
    Clock::time_point now;
    do {
      batch();
      ops += static_cast<uint64_t>(ops_per_batch);
    } while ((now = Clock::now()) < until);
    out.push_back(std::chrono::duration<double, std::nano>(now - start).count() / static_cast<double>(ops));
  }
  return out;
}

const std::string kPlainRequest = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: evbench\r\nAccept: */*\r\n\r\n";
const std::string kPlainResponse =
    "HTTP/1.1 200 OK\r\nServer: evbench\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n"
    "Date: Wed, 25 Nov 2026 20:00:00 GMT\r\n\r\nHello, World!";

std::string echo_request(size_t body) {
  return "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(body) + "\r\n\r\n" + std::string(body, 'a');
}

// Frames every request of `batch` (pipelined requests back to back); returns the requests seen.
uint64_t frame_all(evb::RequestFramer& f, const std::string& batch) {
  const char* p = batch.data();
  size_t n = batch.size();
  uint64_t ends = 0;
  while (n > 0) {
    size_t used = 0;
    evb::FrameEvent e = f.next(p, n, &used);
    p += used, n -= used;
    if (e == evb::FrameEvent::kEnd) ++ends;
    if (e == evb::FrameEvent::kError || (e == evb::FrameEvent::kNeedMore && used == 0)) std::abort();
  }
  return ends;
}

struct Task {
  const char* name;
  int ops;
  std::function<void()> batch;
};

std::vector<Task> tasks() {
  static evb::RingBuffer ring(64 * 1024);
  static char chunk[1024], back[1024];
  static evb::RequestFramer framer;
  static std::string plain16, echo1k = echo_request(1024);
  for (int i = 0; i < 16; ++i) plain16 += kPlainRequest;
  static evb::ResponseParser parser;
  static evb::Histogram h1, h2;
  static uint64_t x = 88172645463325252ull;  // xorshift: latencies spread over 1 us .. 1 s
  for (int i = 0; i < 100000; ++i) x ^= x << 13, x ^= x >> 7, x ^= x << 17, h2.record(1000 + x % 1000000000);
  return {
      {"ring-buffer write+read 1 KiB", 64, [] {
         for (int i = 0; i < 64; ++i) ring.write(chunk, sizeof chunk), g_sink += ring.read(back, sizeof back);
       }},
      {"request framer GET /plaintext (16 pipelined)", 16, [] { g_sink += frame_all(framer, plain16); }},
      {"request framer POST /echo 1 KiB", 1, [] { g_sink += frame_all(framer, echo1k); }},
      {"response parser 200 /plaintext", 64, [] {
         for (int i = 0; i < 64; ++i) {
           size_t used = 0;
           parser.reset();
           if (parser.feed(kPlainResponse.data(), kPlainResponse.size(), &used) != evb::ResponseParser::kDone) std::abort();
           g_sink += used;
         }
       }},
      {"histogram record", 1024, [] {
         for (int i = 0; i < 1024; ++i) x ^= x << 13, x ^= x >> 7, x ^= x << 17, h1.record(1000 + x % 1000000000);
         g_sink += h1.count();
       }},
      {"histogram merge (100k values)", 1, [] { h1.merge(h2), g_sink += h1.count(); }},
      {"histogram p99 (100k values)", 1, [] { g_sink += h2.percentile(99); }},
  };
}

int flag(int argc, char** argv, const char* name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (!std::strcmp(argv[i], name)) {
      int v = std::atoi(argv[i + 1]);
      if (v < 1) std::fprintf(stderr, "microbench: %s expects a positive integer\n", name), std::exit(2);
      return v;
    }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  int sample_ms = flag(argc, argv, "--sample-ms", 100), samples = flag(argc, argv, "--samples", 10);
  std::string json = "{\"tasks\":[";
  bool first = true;
  for (const Task& t : tasks()) {
    std::vector<double> s = measure(t.batch, t.ops, sample_ms, samples);
    json += std::string(first ? "" : ",") + "{\"name\":\"" + t.name + "\",\"unit\":\"ns/op\",\"samples\":[";
    for (size_t i = 0; i < s.size(); ++i) json += (i ? "," : "") + std::to_string(s[i]);
    json += "]}";
    first = false;
  }
  std::printf("%s]}\n", json.c_str());
  return 0;
}
