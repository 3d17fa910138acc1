#include "http_date.h"

#include <cstring>

namespace evb {
namespace {
void two_digits(char* p, int v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}
}  // namespace

void http_date_format(time_t seconds, char out[kHttpDateLen]) {
  static const char kDays[] = "SunMonTueWedThuFriSat";
  static const char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  tm t;
  gmtime_r(&seconds, &t);
  std::memcpy(out, kDays + 3 * t.tm_wday, 3);
  out[3] = ',';
  out[4] = ' ';
  two_digits(out + 5, t.tm_mday);
  out[7] = ' ';
  std::memcpy(out + 8, kMonths + 3 * t.tm_mon, 3);
  out[11] = ' ';
  int year = t.tm_year + 1900;
  two_digits(out + 12, (year / 100) % 100);
  two_digits(out + 14, year % 100);
  out[16] = ' ';
  two_digits(out + 17, t.tm_hour);
  out[19] = ':';
  two_digits(out + 20, t.tm_min);
  out[22] = ':';
  two_digits(out + 23, t.tm_sec);
  std::memcpy(out + 25, " GMT", 4);
}

}  // namespace evb
