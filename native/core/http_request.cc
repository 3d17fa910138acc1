#include "http_request.h"

#include <cstring>

#include "http_tokens.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace evb {
namespace {

// RFC 9110 tchar, and the bytes allowed in a field value (HTAB, visible ASCII, SP, obs-text).
struct CharTables {
  bool token[256];
  bool value[256];
  constexpr CharTables() : token(), value() {
    for (int c = 0; c < 256; ++c) {
      token[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      value[c] = c == '\t' || (c >= 0x20 && c != 0x7f);
    }
    const char* extra = "!#$%&'*+-.^_`|~";
    for (const char* e = extra; *e; ++e) token[static_cast<unsigned char>(*e)] = true;
  }
};
constexpr CharTables kChars;

inline bool is_token(char c) { return kChars.token[static_cast<unsigned char>(c)]; }
inline bool is_value(char c) { return kChars.value[static_cast<unsigned char>(c)]; }

#define EQ_LIT(s, n, lit) token_equals(s, n, EVB_TOKEN_LIT(lit))

// The first byte in [s, e) that is a control byte (< 0x20, 0x7f) or, with stop_at_space, SP.
// Sixteen bytes per step where SSE2 is there: request targets and field values are most of a head.
// With also_stop, that byte stops the scan too (the '?' that ends a path).
inline const char* skip_visible(const char* s, const char* e, bool stop_at_space, char also_stop = 0x7f) {
#if defined(__SSE2__)
  const __m128i low = _mm_set1_epi8(static_cast<char>(stop_at_space ? 0x21 : 0x20));
  const __m128i del = _mm_set1_epi8(0x7f);
  const __m128i extra = _mm_set1_epi8(also_stop);
  for (; e - s >= 16; s += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
    __m128i at_least_low = _mm_cmpeq_epi8(_mm_max_epu8(v, low), v);  // unsigned v >= low
    __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(v, del), _mm_cmpeq_epi8(v, extra));
    int bad = (~_mm_movemask_epi8(at_least_low) | _mm_movemask_epi8(stop)) & 0xffff;
    if (bad != 0) return s + __builtin_ctz(static_cast<unsigned>(bad));
  }
#endif
  unsigned char floor = stop_at_space ? 0x21 : 0x20;
  while (s < e && static_cast<unsigned char>(*s) >= floor && *s != 0x7f && *s != also_stop) ++s;
  return s;
}

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  char l = static_cast<char>(c | 0x20);
  if (l >= 'a' && l <= 'f') return l - 'a' + 10;
  return -1;
}

constexpr size_t kMaxChunkLine = 4096;  // size + extensions: nobody needs more, a flood must stop

}  // namespace

void RequestFramer::reset() {
  head_ = RequestHead();
  state_ = State::kHead;
  error_ = 0;
  scanned_ = 0;
  remaining_ = chunk_total_ = 0;
  chunk_digits_ = 0;
  line_bytes_ = 0;
  body_ = nullptr;
  body_len_ = 0;
}

// Where the head ends: just past the first empty line, searching from *from (bytes before it
// hold no empty line). 0 when there is none yet; *from then says how far the search got.
size_t RequestFramer::find_head_end(const char* p, size_t n, size_t* from) {
  size_t i = *from;
  while (i < n) {
    const void* lf = std::memchr(p + i, '\n', n - i);
    if (lf == nullptr) break;
    size_t at = static_cast<size_t>(static_cast<const char*>(lf) - p);
    if ((at >= 1 && p[at - 1] == '\n') || (at >= 2 && p[at - 1] == '\r' && p[at - 2] == '\n')) return at + 1;
    i = at + 1;
  }
  *from = n;
  return 0;
}

FrameEvent RequestFramer::parse_head(const char* p, size_t n, size_t* used) {
  *used = 0;
  if (n == 0) return FrameEvent::kNeedMore;  // every batch ends here: keep it cheap
  // Empty lines before a request line are ignored (RFC 9112 2.2): drop them as consumed.
  if (scanned_ == 0 && n > 0 && (p[0] == '\r' || p[0] == '\n')) {
    size_t skip = 0;
    while (skip < n && (p[skip] == '\r' || p[skip] == '\n')) ++skip;
    *used = skip;
    return FrameEvent::kNeedMore;
  }
  // An earlier look ran out of bytes: parse again only once the new bytes end the head, so a head
  // trickling in byte by byte costs one pass, not one per byte.
  if (scanned_ > 0 && find_head_end(p, n, &scanned_) == 0) {
    return n >= limits_.max_header_bytes ? fail(431) : FrameEvent::kNeedMore;
  }
  // One pass over the head, in the common case where it arrived whole. If it fails (bytes ran out
  // or a line is malformed), the outcome depends on whether the head is complete, exactly as if
  // the bytes had come in any other pieces: incomplete waits (or is 431 once over the limit),
  // complete is the parse's error.
  size_t limit = n < limits_.max_header_bytes ? n : limits_.max_header_bytes;
  size_t end = 0;
  int status = parse_lines(p, limit, &end);
  if (status == 0) {
    *used = end;
    scanned_ = 0;
    return FrameEvent::kHead;
  }
  size_t from = 0;
  size_t head_end = find_head_end(p, n, &from);
  if (head_end == 0) {
    scanned_ = n;
    return n >= limits_.max_header_bytes ? fail(431) : FrameEvent::kNeedMore;
  }
  scanned_ = 0;
  return fail(head_end > limits_.max_header_bytes ? 431 : status);
}

// What the header fields said about framing and the connection, gathered while they are read.
struct RequestFramer::FieldScan {
  bool close_token = false;
  bool cl_seen = false;
  bool te_seen = false;
  bool te_chunked = false;
  uint64_t cl = 0;
};

// Parses the request line and header fields in p[0, n). Returns 0 with *end just past the
// empty line, or the status of the first problem (400, or 431 for too many fields); running out
// of bytes is reported as 400 and sorted out by the caller.
int RequestFramer::parse_lines(const char* p, size_t n, size_t* end) {
  head_ = RequestHead();
  const char* e = p + n;
  const char* s = parse_request_line(p, e);
  if (s == nullptr) return 400;
  FieldScan f;
  for (;;) {
    if (s < e && *s == '\r') ++s;
    if (s >= e) return 400;
    if (*s == '\n') {  // the empty line
      ++s;
      break;
    }
    int status = parse_field(&s, e, &f);
    if (status != 0) return status;
  }
  int status = finish_head(f);
  if (status == 0) *end = static_cast<size_t>(s - p);
  return status;
}

// Request line: method SP request-target SP HTTP-version CRLF. Returns the byte after it, or
// nullptr when it is malformed (or incomplete).
const char* RequestFramer::parse_request_line(const char* s, const char* e) {
  const char* m = s;
  if (e - s >= 4 && std::memcmp(s, "GET ", 4) == 0) {
    s += 3;  // the most common method, without the byte loop
  } else {
    while (s < e && is_token(*s)) ++s;
    if (s == m || s >= e || *s != ' ') return nullptr;
  }
  head_.method = m;
  head_.method_len = static_cast<size_t>(s - m);
  ++s;
  const char* t = s;
  s = skip_visible(s, e, true, '?');
  head_.path = t;
  head_.path_len = static_cast<size_t>(s - t);
  if (s < e && *s == '?') s = skip_visible(s + 1, e, true);
  if (s == t || s >= e || *s != ' ') return nullptr;
  ++s;
  if (e - s < 9 || std::memcmp(s, "HTTP/1.", 7) != 0 || (s[7] != '0' && s[7] != '1')) return nullptr;
  head_.minor_version = s[7] - '0';
  s += 8;
  if (*s == '\r') ++s;
  if (s >= e || *s != '\n') return nullptr;
  return s + 1;
}

// One header field line at *s: name, colon, value, line end; *s moves past it. 0, or the status.
int RequestFramer::parse_field(const char** at, const char* e, FieldScan* f) {
  const char* s = *at;
  const char* name = s;
  while (s < e && is_token(*s)) ++s;
  size_t name_len = static_cast<size_t>(s - name);
  // No name (a folded line starts with SP/HT) or whitespace before the colon: 400 (RFC 9112 5.1).
  if (name_len == 0 || s >= e || *s != ':') return 400;
  ++s;
  while (s < e && (*s == ' ' || *s == '\t')) ++s;
  const char* v = s;
  for (;;) {  // visible bytes, SP and obs-text in blocks; HTAB is the one control byte allowed
    s = skip_visible(s, e, false);
    if (s < e && *s == '\t') {
      ++s;
      continue;
    }
    break;
  }
  const char* v_end = s;
  if (s < e && *s == '\r') ++s;
  if (s >= e || *s != '\n') return 400;  // a control byte or a bare CR in the value
  *at = s + 1;
  while (v_end > v && (v_end[-1] == ' ' || v_end[-1] == '\t')) --v_end;
  if (++head_.header_count > limits_.max_headers) return 431;
  return apply_field(name, name_len, v, static_cast<size_t>(v_end - v), f);
}

// The fields that matter for framing and the connection; the others are only checked for form.
int RequestFramer::apply_field(const char* name, size_t name_len, const char* v, size_t v_len, FieldScan* f) {
  switch (name_len) {
    case 14:
      if (EQ_LIT(name, name_len, "content-length")) {
        if (v_len == 0 || v_len > 19) return v_len > 19 ? 413 : 400;
        uint64_t value = 0;
        for (size_t k = 0; k < v_len; ++k) {
          if (v[k] < '0' || v[k] > '9') return 400;
          value = value * 10 + static_cast<uint64_t>(v[k] - '0');
        }
        if (f->cl_seen && value != f->cl) return 400;  // conflicting lengths: smuggling risk
        f->cl_seen = true;
        f->cl = value;
      }
      break;
    case 17:
      if (EQ_LIT(name, name_len, "transfer-encoding")) {
        if (f->te_chunked) return 400;  // chunked must be the final coding, applied once
        f->te_seen = true;
        f->te_chunked = list_ends_with_token(v, v_len, EVB_TOKEN_LIT("chunked"));
      }
      break;
    case 10:
      if (EQ_LIT(name, name_len, "connection")) {
        if (list_has_token(v, v_len, EVB_TOKEN_LIT("close"))) f->close_token = true;
        if (list_has_token(v, v_len, EVB_TOKEN_LIT("keep-alive"))) head_.keep_alive_token = true;
      }
      break;
    case 6:
      if (EQ_LIT(name, name_len, "expect") && EQ_LIT(v, v_len, "100-continue")) head_.expect_continue = true;
      break;
    default: break;
  }
  return 0;
}

// The head is complete: its framing, whether the connection stays, and the body state to enter.
int RequestFramer::finish_head(const FieldScan& f) {
  // A coding we cannot undo leaves the body length unknown; both headers at once is a
  // smuggling vector. Either way: 400 and close (RFC 9112 6.1, 6.3).
  if (f.te_seen && (!f.te_chunked || f.cl_seen)) return 400;
  if (f.cl > limits_.max_body_bytes) return 413;
  head_.chunked = f.te_chunked;
  head_.content_length = f.cl;
  head_.keep_alive = !f.close_token && (head_.minor_version >= 1 || head_.keep_alive_token);
  if (f.te_chunked) {
    state_ = State::kChunkSize;
    remaining_ = chunk_total_ = 0;
    chunk_digits_ = 0;
    line_bytes_ = 0;
  } else if (f.cl > 0) {
    state_ = State::kBodyLength;
    remaining_ = f.cl;
  } else {
    state_ = State::kDone;
  }
  return 0;
}

// The chunked body, from the first chunk-size line through the trailer section.
FrameEvent RequestFramer::chunked(const char* p, size_t n, size_t* used) {
  size_t i = 0;
  *used = 0;
  while (i < n) {
    int status = 0;
    switch (state_) {
      case State::kChunkSize:
      case State::kChunkExt:
      case State::kChunkSizeLf:
        status = size_line_byte(p[i]);
        ++i;
        break;
      case State::kChunkData: {
        size_t take = remaining_ < n - i ? static_cast<size_t>(remaining_) : n - i;
        body_ = p + i;
        body_len_ = take;
        remaining_ -= take;
        chunk_total_ += take;
        i += take;
        if (remaining_ == 0) state_ = State::kChunkDataCr;
        *used = i;
        return FrameEvent::kBody;
      }
      case State::kChunkDataCr:
      case State::kChunkDataLf:
        status = data_end_byte(p[i]);
        ++i;
        break;
      case State::kTrailerLineStart:
      case State::kTrailerLine:
      case State::kTrailerLf:
        status = trailer_step(p, n, &i);
        if (status == 0 && state_ == State::kHead) {
          *used = i;
          return FrameEvent::kEnd;
        }
        break;
      default:
        status = 400;  // unreachable: next() routes only chunked states here
        break;
    }
    if (status != 0) return fail(status);
  }
  *used = i;
  return FrameEvent::kNeedMore;
}

// One byte of a chunk-size line: hex digits, then extensions (ignored, RFC 9112 7.1.1, only
// checked and bounded), then CRLF or a bare LF. 0, or the status to fail with.
int RequestFramer::size_line_byte(char c) {
  if (state_ == State::kChunkSizeLf) {
    if (c != '\n') return 400;
    size_line_done();
    return 0;
  }
  if (++line_bytes_ > kMaxChunkLine) return 400;
  if (state_ == State::kChunkExt) {
    if (c == '\r')
      state_ = State::kChunkSizeLf;
    else if (c == '\n')
      size_line_done();
    else if (!is_value(c))
      return 400;
    return 0;
  }
  int d = hex_value(c);
  if (d >= 0) {
    remaining_ = remaining_ * 16 + static_cast<uint64_t>(d);
    ++chunk_digits_;
    return chunk_total_ + remaining_ > limits_.max_body_bytes ? 413 : 0;
  }
  if (chunk_digits_ == 0) return 400;
  if (c == ';' || c == ' ' || c == '\t')
    state_ = State::kChunkExt;
  else if (c == '\r')
    state_ = State::kChunkSizeLf;
  else if (c == '\n')
    size_line_done();
  else
    return 400;
  return 0;
}

// The chunk-size line ended: a zero size starts the trailer section, any other the data.
void RequestFramer::size_line_done() {
  chunk_digits_ = 0;
  line_bytes_ = 0;
  state_ = remaining_ == 0 ? State::kTrailerLineStart : State::kChunkData;
}

// The CRLF (or bare LF) after a chunk's data.
int RequestFramer::data_end_byte(char c) {
  if (state_ == State::kChunkDataLf) {
    if (c != '\n') return 400;
    state_ = State::kChunkSize;
    return 0;
  }
  if (c == '\r')
    state_ = State::kChunkDataLf;
  else if (c == '\n')
    state_ = State::kChunkSize;
  else
    return 400;
  return 0;
}

// One step through the trailer section at p[*i]: fields are discarded, they only have to end
// and stay within the header limit. The body ends (state_ back to kHead) at its empty line.
int RequestFramer::trailer_step(const char* p, size_t n, size_t* i) {
  char c = p[*i];
  if (state_ == State::kTrailerLine) {
    const void* lf = std::memchr(p + *i, '\n', n - *i);
    size_t stop = lf ? static_cast<size_t>(static_cast<const char*>(lf) - p) + 1 : n;
    line_bytes_ += stop - *i;
    if (line_bytes_ > limits_.max_header_bytes) return 431;
    *i = stop;
    if (lf) state_ = State::kTrailerLineStart;
    return 0;
  }
  ++*i;
  if (state_ == State::kTrailerLf) {
    if (c != '\n') return 400;
    state_ = State::kHead;
  } else if (c == '\r') {
    state_ = State::kTrailerLf;
  } else if (c == '\n') {
    state_ = State::kHead;
  } else {
    if (++line_bytes_ > limits_.max_header_bytes) return 431;
    state_ = State::kTrailerLine;
  }
  return 0;
}

}  // namespace evb
