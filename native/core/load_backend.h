// Which I/O backends the load client can use here. epoll (or kqueue) always; io_uring when the
// build found liburing and the kernel lets this process set up a ring.
#pragma once
#include <string>

#include "load_options.h"

namespace evb {

// "" when the backend can run here, else one line saying why not.
std::string load_backend_unavailable(LoadOptions::Backend b, bool sqpoll = false);
const char* load_backend_name(LoadOptions::Backend b);

}  // namespace evb
