#pragma once
#include <napi.h>

namespace evb {
// Registers `LoadGen` on exports (native/addon/loadgen_binding.cc).
void InitLoadGen(Napi::Env env, Napi::Object exports);
}  // namespace evb
