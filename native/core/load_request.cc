#include "load_request.h"

namespace evb {
namespace {

bool has_header(const LoadOptions& o, const char* name) {
  for (const auto& h : o.headers) {
    if (h.first.size() != std::char_traits<char>::length(name)) continue;
    bool same = true;
    for (size_t i = 0; i < h.first.size() && same; ++i) {
      char c = h.first[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      same = c == name[i];
    }
    if (same) return true;
  }
  return false;
}

}  // namespace

std::string load_request_build(const LoadOptions& o) {
  // The body is a fixed printable pattern, so an echoing server's answer can be read by eye.
  std::string body;
  if (o.has_body) {
    body = o.body;
  } else {
    body.reserve(o.body_bytes);
    for (size_t i = 0; i < o.body_bytes; ++i) body.push_back(static_cast<char>('a' + i % 26));
  }
  if (o.echo) return body;

  std::string r;
  r.reserve(256 + body.size());
  r += o.method + " " + o.path + " HTTP/1.1\r\n";
  if (!has_header(o, "host")) r += "Host: " + o.host + ":" + std::to_string(o.port) + "\r\n";
  for (const auto& h : o.headers) r += h.first + ": " + h.second + "\r\n";
  if ((o.has_body || body.size() > 0) && !has_header(o, "content-length"))
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (!o.keep_alive && !has_header(o, "connection")) r += "Connection: close\r\n";
  r += "\r\n";
  r += body;
  return r;
}

RequestBatch::RequestBatch(std::string one, int depth) : one_(one.size()) {
  bytes_.reserve(one_ * static_cast<size_t>(depth));
  for (int i = 0; i < depth; ++i) bytes_ += one;
}

}  // namespace evb
