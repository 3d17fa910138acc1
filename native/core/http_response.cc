#include "http_response.h"

#include <cstring>

#include "http_tokens.h"

namespace evb {
namespace {

const char* find_crlf(const char* p, const char* end) {
  while (p < end) {
    const char* r = static_cast<const char*>(std::memchr(p, '\r', static_cast<size_t>(end - p)));
    if (r == nullptr || r + 1 >= end) return nullptr;
    if (r[1] == '\n') return r;
    p = r + 1;
  }
  return nullptr;
}

bool name_is(const char* p, size_t n, const char* want) { return token_equals(p, n, want, std::strlen(want)); }

}  // namespace

ResponseParser::Result ResponseParser::parse_head(const char* p, size_t n, size_t* used) {
  static const char kProto[] = "HTTP/1.";
  // Reject a response that cannot be HTTP as soon as its first bytes arrive, rather than
  // waiting for a header end that a garbage-speaking peer may never send.
  size_t cmp = n < 7 ? n : 7;
  if (std::memcmp(p, kProto, cmp) != 0) return kError;
  const char* end = p + n;
  const char* line_end = find_crlf(p, end);
  if (line_end == nullptr) return n > kMaxHead ? kError : kNeedMore;
  // "HTTP/1.x SSS reason"
  if (line_end - p < 12 || (p[7] != '0' && p[7] != '1') || p[8] != ' ') return kError;
  int status = 0;
  for (int i = 9; i < 12; ++i) {
    if (p[i] < '0' || p[i] > '9') return kError;
    status = status * 10 + (p[i] - '0');
  }
  if (line_end - p > 12 && p[12] != ' ') return kError;
  // Only 1xx..5xx mean anything (RFC 9110 15); a 0xx would also pass for "no status" upstream.
  if (status < 100 || status > 599) return kError;
  bool http10 = p[7] == '0';
  bool keep_alive = false, close = false, chunked = false, have_length = false;
  uint64_t length = 0;

  const char* q = line_end + 2;
  for (;;) {
    const char* e = find_crlf(q, end);
    if (e == nullptr) return (end - p) > static_cast<ptrdiff_t>(kMaxHead) ? kError : kNeedMore;
    if (e == q) {  // the empty line: the head is complete
      q = e + 2;
      break;
    }
    const char* colon = static_cast<const char*>(std::memchr(q, ':', static_cast<size_t>(e - q)));
    if (colon == nullptr || colon == q) return kError;
    const char* v = colon + 1;
    while (v < e && (*v == ' ' || *v == '\t')) ++v;
    size_t name_len = static_cast<size_t>(colon - q), vlen = static_cast<size_t>(e - v);
    if (name_is(q, name_len, "content-length")) {
      if (vlen == 0 || vlen > 18) return kError;
      uint64_t len = 0;
      for (size_t i = 0; i < vlen; ++i) {
        if (v[i] == ' ' || v[i] == '\t') break;  // trailing whitespace
        if (v[i] < '0' || v[i] > '9') return kError;
        len = len * 10 + static_cast<uint64_t>(v[i] - '0');
      }
      if (have_length && len != length) return kError;  // conflicting lengths: smuggling-shaped
      have_length = true;
      length = len;
    } else if (name_is(q, name_len, "transfer-encoding")) {
      chunked = list_ends_with_token(v, vlen, EVB_TOKEN_LIT("chunked"));
    } else if (name_is(q, name_len, "connection")) {
      if (list_has_token(v, vlen, EVB_TOKEN_LIT("close"))) close = true;
      if (list_has_token(v, vlen, EVB_TOKEN_LIT("keep-alive"))) keep_alive = true;
    }
    q = e + 2;
  }
  if (q - p > static_cast<ptrdiff_t>(kMaxHead)) return kError;
  *used = static_cast<size_t>(q - p);
  status_ = status;
  close_ = close || (http10 && !keep_alive);

  if (status >= 100 && status < 200 && status != 101) return kNeedMore;  // interim: head again
  if (head_request_ || status == 204 || status == 304 || status == 101) return kDone;
  if (chunked) {
    state_ = kChunkSize;
  } else if (have_length) {
    if (length == 0) return kDone;
    remaining_ = length;
    state_ = kBody;
  } else {
    state_ = kUntilClose;
    close_ = true;
  }
  return kNeedMore;
}

ResponseParser::Result ResponseParser::feed(const char* p, size_t n, size_t* used) {
  size_t off = 0;
  *used = 0;
  while (off < n) {
    const char* s = p + off;
    size_t left = n - off;
    switch (state_) {
      case kHead: {
        size_t u = 0;
        Result r = parse_head(s, left, &u);
        off += u;
        *used = off;
        if (r != kNeedMore || u == 0) return r;  // done, error, or the head is incomplete
        break;                                   // body (or the next head after a 1xx)
      }
      case kBody: {
        uint64_t take = left < remaining_ ? left : remaining_;
        body(s, static_cast<size_t>(take));
        off += take;
        remaining_ -= take;
        *used = off;
        if (remaining_ == 0) {
          state_ = kHead;
          return kDone;
        }
        return kNeedMore;
      }
      case kChunkSize:
      case kTrailer: {
        Result r = kNeedMore;
        bool stop = chunk_line(s, left, &off, &r);
        *used = off;
        if (stop) return r;
        break;
      }
      case kChunkData: {
        uint64_t take = left < remaining_ ? left : remaining_;
        body(s, static_cast<size_t>(take));
        off += take;
        remaining_ -= take;
        *used = off;
        if (remaining_ == 0) state_ = kChunkEnd;
        break;
      }
      case kChunkEnd: {
        if (left < 2) return s[0] == '\r' ? kNeedMore : kError;
        if (s[0] != '\r' || s[1] != '\n') return kError;
        off += 2;
        *used = off;
        state_ = kChunkSize;
        break;
      }
      case kUntilClose:
        body(s, left);
        off = n;
        *used = off;
        return kNeedMore;
    }
  }
  return kNeedMore;
}

// A chunk-size line or a trailer line at s[0, left). True when feed must return *r (the line
// is incomplete, malformed, or ends the body); false when it was consumed (*off moved past it)
// and parsing goes on.
bool ResponseParser::chunk_line(const char* s, size_t left, size_t* off, Result* r) {
  const char* e = find_crlf(s, s + left);
  if (e == nullptr) {
    *r = left > kMaxLine ? kError : kNeedMore;
    return true;
  }
  size_t line = static_cast<size_t>(e - s);
  // The same limit whether the line arrived whole or in pieces (above: not yet ended).
  if (line > kMaxLine) {
    *r = kError;
    return true;
  }
  if (state_ == kTrailer) {
    *off += line + 2;
    if (line != 0) return false;
    state_ = kHead;
    *r = kDone;
    return true;
  }
  uint64_t size = 0;
  if (!parse_chunk_size(s, line, &size)) {
    *r = kError;
    return true;
  }
  *off += line + 2;
  if (size == 0) {
    state_ = kTrailer;
  } else {
    remaining_ = size;
    state_ = kChunkData;
  }
  return false;
}

// The hex size at the start of a chunk-size line of `line` bytes, before any extension.
bool ResponseParser::parse_chunk_size(const char* s, size_t line, uint64_t* size) {
  size_t digits = 0;
  for (; digits < line; ++digits) {
    char c = ascii_lower(s[digits]);
    int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (d < 0) break;
    if (digits >= 15) return false;
    *size = *size * 16 + static_cast<uint64_t>(d);
  }
  return digits != 0 && (digits == line || s[digits] == ';' || s[digits] == ' ');
}

}  // namespace evb
