// The addon's entry: it only registers the two classes; each lives in its own file.
#include <napi.h>

#include "loadgen_binding.h"
#include "server_binding.h"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  evb::InitServer(env, exports);
  evb::InitLoadGen(env, exports);
  return exports;
}
}  // namespace

NODE_API_MODULE(evbench_native, Init)
