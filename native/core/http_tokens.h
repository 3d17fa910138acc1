// HTTP field-value tokens, shared by the request framer and the response parser so that both
// read a header the same way: whole tokens of a comma-separated list (RFC 9110 5.6.1), trimmed
// of optional whitespace, compared case-insensitively. "Connection: unclosed" holds no "close".
#pragma once
#include <cstddef>

namespace evb {

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// s[0, n) equals the lowercase literal lit[0, lit_len), ignoring ASCII case.
inline bool token_equals(const char* s, size_t n, const char* lit, size_t lit_len) {
  if (n != lit_len) return false;
  for (size_t i = 0; i < n; ++i)
    if (ascii_lower(s[i]) != lit[i]) return false;
  return true;
}

// Calls fn(token, len) for each comma-separated element of v[0, n), trimmed of SP and HTAB
// (empty elements included: "a,,b" gives "a", "", "b").
template <typename Fn>
void for_each_token(const char* v, size_t n, Fn fn) {
  size_t i = 0;
  while (i <= n) {
    size_t start = i;
    while (i < n && v[i] != ',') ++i;
    size_t end = i;
    while (start < end && (v[start] == ' ' || v[start] == '\t')) ++start;
    while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t')) --end;
    fn(v + start, end - start);
    ++i;
  }
}

// The list v[0, n) holds the token lit (lowercase) as a whole element.
inline bool list_has_token(const char* v, size_t n, const char* lit, size_t lit_len) {
  bool found = false;
  for_each_token(v, n, [&](const char* t, size_t len) { found = found || token_equals(t, len, lit, lit_len); });
  return found;
}

// The list's last element is lit: a transfer coding applies only when it is the final one.
inline bool list_ends_with_token(const char* v, size_t n, const char* lit, size_t lit_len) {
  bool last = false;
  for_each_token(v, n, [&](const char* t, size_t len) { last = token_equals(t, len, lit, lit_len); });
  return last;
}

}  // namespace evb

// A literal and its length, from its type: EVB_TOKEN_LIT("close") is "close", 5.
#define EVB_TOKEN_LIT(lit) lit, sizeof(lit) - 1
