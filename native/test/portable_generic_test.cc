// portable_test.cc again, with the fallbacks macOS and the BSDs take (accept + fcntl, socket +
// fcntl, no affinity, no MSG_NOSIGNAL), so they are built and run on Linux too.
#define EVB_PORTABLE_GENERIC 1
#include "portable_test.cc"  // NOLINT: the same tests, the other branch
