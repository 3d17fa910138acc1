// The load client's readiness backend (Poller: epoll on Linux, kqueue elsewhere).
#pragma once
#include <memory>

#include "load_thread.h"

namespace evb {

std::unique_ptr<LoadThread> make_epoll_load_thread(LoadPlan& plan, int index, int first_conn, int count);

}  // namespace evb
