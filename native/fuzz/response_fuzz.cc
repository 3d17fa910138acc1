// libFuzzer target for the load client's response parser: it parses whatever a server sends,
// so any bytes must leave it consistent. The input is replayed the way LoadThread feeds it:
// the first byte picks whether the request was HEAD and how the rest is cut into arrivals;
// unconsumed bytes are kept and fed again with the next arrival. Checked for any bytes:
// consumption never exceeds what was given, every call makes progress or asks for more, an
// error is final, and the same bytes cut differently give the same transcript of answers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "http_response.h"

namespace {

std::string transcript(const uint8_t* data, size_t size, size_t step, bool head) {
  evb::ResponseParser p;
  p.reset(head);
  std::string pending, out;
  size_t pos = 0;
  while (pos < size) {
    size_t n = step == 0 ? size - pos : (step < size - pos ? step : size - pos);
    pending.append(reinterpret_cast<const char*>(data) + pos, n);
    pos += n;
    for (int guard = 0;; ++guard) {
      if (guard > 1 << 20) std::abort();  // no progress: the load thread would spin
      size_t used = 0;
      evb::ResponseParser::Result r = p.feed(pending.data(), pending.size(), &used);
      if (used > pending.size()) std::abort();
      pending.erase(0, used);
      if (r == evb::ResponseParser::kError) {
        size_t again = 0;
        evb::ResponseParser q = p;  // an error is final: the same bytes fail again
        if (!pending.empty() && q.feed(pending.data(), pending.size(), &again) == evb::ResponseParser::kDone)
          std::abort();
        return out + "X";
      }
      if (r == evb::ResponseParser::kDone) {
        out += "S" + std::to_string(p.status()) + (p.closes() ? "c" : "k");
        if (p.status() < 100 || p.status() > 599) std::abort();
        p.reset(head);
        continue;
      }
      if (used == 0 || pending.empty()) break;  // kNeedMore: wait for the next arrival
    }
  }
  if (p.on_eof() == evb::ResponseParser::kDone && !p.idle()) out += "S" + std::to_string(p.status()) + "e";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  bool head = (data[0] & 0x80) != 0;
  size_t step = (data[0] & 0x7f) % 17;  // 0: everything at once; else arrivals of `step` bytes
  std::string pieces = transcript(data + 1, size - 1, step, head);
  if (step != 0 && pieces != transcript(data + 1, size - 1, 0, head)) std::abort();  // split-dependent parsing
  return 0;
}
