#pragma once
#include <napi.h>

namespace evb {
// Registers `Server` on exports (native/addon/server_binding.cc).
void InitServer(Napi::Env env, Napi::Object exports);
}  // namespace evb
