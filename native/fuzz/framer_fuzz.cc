// libFuzzer target for the request framing. The input is replayed the way the server sees it:
// the first byte picks how the rest is cut into arrivals, and consumed prefixes are dropped. It
// checks what must hold for any bytes: consumption never exceeds what was given, body spans lie
// inside the given bytes, the same bytes framed whole give the same transcript, and an error is
// final.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "http_request.h"

namespace {

std::string transcript(const uint8_t* data, size_t size, size_t step) {
  evb::FramerLimits limits;
  limits.max_header_bytes = 512;  // small limits reach the 431/413 paths with small inputs
  limits.max_headers = 16;
  limits.max_body_bytes = 1024;
  evb::RequestFramer f(limits);
  std::string pending, out;
  size_t pos = 0;
  while (pos < size) {
    size_t n = step == 0 ? size - pos : (step < size - pos ? step : size - pos);
    pending.append(reinterpret_cast<const char*>(data) + pos, n);
    pos += n;
    for (int guard = 0;; ++guard) {
      if (guard > 1 << 20) std::abort();  // no progress: a hang in the server
      size_t used = 0;
      evb::FrameEvent e = f.next(pending.data(), pending.size(), &used);
      if (used > pending.size()) std::abort();
      switch (e) {
        case evb::FrameEvent::kHead: {
          const evb::RequestHead& h = f.head();
          if (h.method < pending.data() || h.path + h.path_len > pending.data() + pending.size()) std::abort();
          out.append("H").append(h.method, h.method_len).append(" ").append(h.path, h.path_len);
          out.append(h.keep_alive ? "k" : "c").append(h.chunked ? "T" : std::to_string(h.content_length));
          break;
        }
        case evb::FrameEvent::kBody:
          if (f.body() < pending.data() || f.body() + f.body_len() > pending.data() + pending.size()) std::abort();
          if (f.body_len() == 0) std::abort();
          out.append(f.body(), f.body_len());  // unmarked: span boundaries may differ by split
          break;
        case evb::FrameEvent::kEnd: out.append("E"); break;
        case evb::FrameEvent::kError: {
          int s = f.error_status();
          if (s != 400 && s != 413 && s != 431) std::abort();
          size_t again = 1;
          if (f.next(pending.data(), pending.size(), &again) != evb::FrameEvent::kError || again != 0) std::abort();
          return out + "X" + std::to_string(s);
        }
        case evb::FrameEvent::kNeedMore: break;
      }
      pending.erase(0, used);
      if (e == evb::FrameEvent::kNeedMore && used == 0) break;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t step = data[0] % 17;  // 0: everything at once; else arrivals of `step` bytes
  std::string pieces = transcript(data + 1, size - 1, step);
  if (step != 0 && pieces != transcript(data + 1, size - 1, 0)) std::abort();  // split-dependent framing
  return 0;
}
