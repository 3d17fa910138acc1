// The IMF-fixdate of RFC 9110 5.6.7 ("Sun, 06 Nov 1994 08:49:37 GMT"), always 29 bytes.
#pragma once
#include <ctime>

namespace evb {
constexpr int kHttpDateLen = 29;
// Writes exactly kHttpDateLen bytes (no terminator). Thread-safe: no locale, no static state.
void http_date_format(time_t seconds, char out[kHttpDateLen]);
}  // namespace evb
