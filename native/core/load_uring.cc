#include "load_uring.h"

namespace evb {

std::string uring_load_unavailable(bool) { return "io_uring: not yet"; }
std::unique_ptr<LoadThread> make_uring_load_thread(LoadPlan&, int, int, int) { return nullptr; }

}  // namespace evb
