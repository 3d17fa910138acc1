// The load client's io_uring backend (load_uring.cc): multishot receive into a provided buffer
// ring, the loop turn's sends submitted together, registered descriptors. Built only when CMake
// found liburing (EVB_HAVE_LIBURING); otherwise it reports itself unavailable.
#pragma once
#include <memory>
#include <string>

#include "load_thread.h"

namespace evb {

// "" when a ring can be set up here (with SQPOLL when asked), else why not.
std::string uring_load_unavailable(bool sqpoll);
std::unique_ptr<LoadThread> make_uring_load_thread(LoadPlan& plan, int index, int first_conn, int count);

}  // namespace evb
