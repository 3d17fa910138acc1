#include "load_backend.h"

#include "load_epoll.h"
#include "load_uring.h"

namespace evb {

std::string load_backend_unavailable(LoadOptions::Backend b, bool sqpoll) {
  return b == LoadOptions::kIoUring ? uring_load_unavailable(sqpoll) : "";
}

const char* load_backend_name(LoadOptions::Backend b) { return b == LoadOptions::kIoUring ? "io_uring" : "epoll"; }

std::unique_ptr<LoadThread> LoadThread::create(LoadPlan& plan, int index, int first_conn, int count) {
  if (plan.opts.backend == LoadOptions::kIoUring) return make_uring_load_thread(plan, index, first_conn, count);
  return make_epoll_load_thread(plan, index, first_conn, count);
}

}  // namespace evb
