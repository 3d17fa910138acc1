// `Server`: the JS face of evb::Server. Options are validated here, once, with one message form
// ("Expected positive integer for threads but received -1 of type number"); the core trusts them.
// JS only starts, polls counters and stops; the loops never call into JS.
#include <napi.h>
#include <sys/resource.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "portable.h"  // kMaxCpus: the highest CPU number a pin may name
#include "server.h"
#include "server_binding.h"
#include "server_tls.h"

namespace evb {
namespace {

std::string describe(const Napi::Value& v) {
  std::string type;
  switch (v.Type()) {
    case napi_undefined: type = "undefined"; break;
    case napi_null: type = "object"; break;
    case napi_boolean: type = "boolean"; break;
    case napi_number: type = "number"; break;
    case napi_string: type = "string"; break;
    case napi_function: type = "function"; break;
    case napi_bigint: type = "bigint"; break;
    case napi_symbol: return "a symbol of type symbol";
    default: type = "object"; break;
  }
  if (v.IsObject() && !v.IsFunction()) return (v.IsArray() ? "an array" : "an object") + std::string(" of type object");
  return v.ToString().Utf8Value() + " of type " + type;
}

[[noreturn]] void reject(Napi::Env env, const char* expected, const char* name, const Napi::Value& v) {
  throw Napi::TypeError::New(env,
                             std::string("Expected ") + expected + " for " + name + " but received " + describe(v));
}

bool is_integer(const Napi::Value& v, double lo, double hi) {
  if (!v.IsNumber()) return false;
  double d = v.As<Napi::Number>().DoubleValue();
  return std::isfinite(d) && std::floor(d) == d && d >= lo && d <= hi;
}

double integer(Napi::Env env, const Napi::Value& v, double lo, double hi, const char* expected, const char* name) {
  if (!is_integer(v, lo, hi)) reject(env, expected, name, v);
  return v.As<Napi::Number>().DoubleValue();
}

std::string errno_name(int err) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
  if (const char* n = strerrorname_np(err)) return n;
#endif
  return "E" + std::to_string(err);
}

// tlsCert and tlsKey (PEM file paths, both or neither) turn TLS on; ktls asks for kernel TLS;
// tlsEarlyData accepts TLS 1.3 early data.
void parse_tls(Napi::Env env, const Napi::Object& o, ServerOptions* s) {
  Napi::Value cert = o.Get("tlsCert");
  Napi::Value key = o.Get("tlsKey");
  if (cert.IsUndefined() != key.IsUndefined()) reject(env, "both tlsCert and tlsKey, or neither", "tlsCert", cert);
  if (!cert.IsUndefined()) {
    if (!cert.IsString() || cert.As<Napi::String>().Utf8Value().empty()) reject(env, "non-empty path", "tlsCert", cert);
    if (!key.IsString() || key.As<Napi::String>().Utf8Value().empty()) reject(env, "non-empty path", "tlsKey", key);
    std::string why = server_tls_unavailable();
    if (!why.empty()) {
      Napi::Error e = Napi::Error::New(env, "TLS is unavailable here: " + why);
      e.Set("code", Napi::String::New(env, "EVB_TLS_UNAVAILABLE"));
      throw e;
    }
    s->tls_cert = cert.As<Napi::String>().Utf8Value();
    s->tls_key = key.As<Napi::String>().Utf8Value();
  }
  Napi::Value ktls = o.Get("ktls");
  if (!ktls.IsUndefined()) {
    if (!ktls.IsBoolean()) reject(env, "boolean", "ktls", ktls);
    s->ktls = ktls.As<Napi::Boolean>().Value();
  }
  Napi::Value early = o.Get("tlsEarlyData");
  if (!early.IsUndefined()) {
    if (!early.IsBoolean()) reject(env, "boolean", "tlsEarlyData", early);
    s->tls_early_data = early.As<Napi::Boolean>().Value();
  }
}

ServerOptions parse_options(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject() || info[0].IsArray())
    reject(env, "object", "options", info.Length() < 1 ? env.Undefined() : info[0]);
  Napi::Object o = info[0].As<Napi::Object>();
  ServerOptions s;
  Napi::Value host = o.Get("host");
  if (!host.IsUndefined()) {
    if (!host.IsString() || host.As<Napi::String>().Utf8Value().empty()) reject(env, "non-empty string", "host", host);
    s.host = host.As<Napi::String>().Utf8Value();
  }
  s.port = static_cast<int>(integer(env, o.Get("port"), 0, 65535, "integer between 0 and 65535", "port"));
  s.threads = static_cast<int>(integer(env, o.Get("threads"), 1, 1024, "positive integer", "threads"));
  Napi::Value mode = o.Get("mode");
  std::string m = mode.IsString() ? mode.As<Napi::String>().Utf8Value() : "";
  if (m == "http")
    s.mode = ServerMode::kHttp;
  else if (m == "echo")
    s.mode = ServerMode::kEcho;
  else
    reject(env, "one of 'http', 'echo'", "mode", mode);
  Napi::Value fo = o.Get("fastOpen");
  if (!fo.IsUndefined())
    s.fast_open = static_cast<int>(integer(env, fo, 0, 1 << 20, "non-negative integer", "fastOpen"));
  Napi::Value mb = o.Get("maxBodyBytes");
  if (!mb.IsUndefined())
    s.max_body_bytes =
        static_cast<uint64_t>(integer(env, mb, 1, 9007199254740991.0, "positive integer", "maxBodyBytes"));
  // Timeouts in milliseconds, 0 disabling one (server_timeouts.h); at most a day.
  const std::pair<const char*, int64_t*> timeouts[] = {{"headerTimeoutMs", &s.timeouts.header_ms},
                                                       {"bodyTimeoutMs", &s.timeouts.body_ms},
                                                       {"idleTimeoutMs", &s.timeouts.idle_ms}};
  for (const auto& [name, field] : timeouts) {
    Napi::Value v = o.Get(name);
    if (!v.IsUndefined())
      *field = static_cast<int64_t>(integer(env, v, 0, 86400000, "integer between 0 and 86400000", name));
  }
  Napi::Value backend = o.Get("backend");  // issue 17: the loops' I/O; epoll unless asked
  if (!backend.IsUndefined()) {
    std::string b = backend.IsString() ? backend.As<Napi::String>().Utf8Value() : "";
    if (b == "io_uring")
      s.backend = ServerBackend::kIoUring;
    else if (b != "epoll")
      reject(env, "one of 'epoll', 'io_uring'", "backend", backend);
    std::string why = server_backend_unavailable(s.backend);
    if (!why.empty()) {
      Napi::Error e = Napi::Error::New(env, "backend io_uring is unavailable here: " + why);
      e.Set("code", Napi::String::New(env, "EVB_BACKEND_UNAVAILABLE"));
      throw e;
    }
  }
  parse_tls(env, o, &s);
  Napi::Value cpus = o.Get("cpus");
  if (!cpus.IsUndefined()) {
    if (!cpus.IsArray()) reject(env, "array of CPU numbers", "cpus", cpus);
    Napi::Array a = cpus.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); ++i) {
      Napi::Value c = a.Get(i);
      s.cpus.push_back(static_cast<int>(integer(env, c, 0, evb::kMaxCpus - 1, "array of CPU numbers", "cpus")));
    }
  }
  return s;
}

// The soft descriptor limit raised to the hard one, so the server sheds connections only at the
// real ceiling. Node already does this at start-up; an embedder may not. Returns the soft limit.
double raise_nofile() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) != 0) return -1;
  if (r.rlim_cur < r.rlim_max) {
    rlimit want = r;
    want.rlim_cur = r.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &want) == 0) r = want;
  }
  return r.rlim_cur == RLIM_INFINITY ? -1 : static_cast<double>(r.rlim_cur);
}

class ServerWrap : public Napi::ObjectWrap<ServerWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Server",
                       {InstanceMethod<&ServerWrap::Listen>("listen"), InstanceMethod<&ServerWrap::Stats>("stats"),
                        InstanceMethod<&ServerWrap::Close>("close")});
  }

  explicit ServerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ServerWrap>(info) {
    ServerOptions options = parse_options(info);
    host_ = options.host;
    port_ = options.port;
    server_ = std::make_unique<Server>(std::move(options));
    nofile_ = raise_nofile();
    // Environment teardown (process exit, worker exit) must never wait on a running loop.
    env_ = info.Env();
    if (napi_add_env_cleanup_hook(env_, &ServerWrap::OnEnvCleanup, this) == napi_ok) hooked_ = true;
  }

  ~ServerWrap() override {
    Shutdown();
    if (hooked_) napi_remove_env_cleanup_hook(env_, &ServerWrap::OnEnvCleanup, this);
  }

 private:
  static void OnEnvCleanup(void* self) {
    auto* w = static_cast<ServerWrap*>(self);
    w->hooked_ = false;  // a hook runs once and is gone
    w->Shutdown();
  }

  void Shutdown() {
    if (server_) server_->close();
  }

  Napi::Value Listen(const Napi::CallbackInfo& info) {
    const char* call = "listen";
    int r = server_->listen(&call);
    if (r < 0) {
      int err = -r;
      std::string code = errno_name(err);
      Napi::Error e = Napi::Error::New(info.Env(), "listen " + host_ + ":" + std::to_string(port_) + ": " + call +
                                                       " failed: " + std::strerror(err) + " (" + code + ")");
      e.Set("code", Napi::String::New(info.Env(), code));
      e.Set("errno", Napi::Number::New(info.Env(), -err));
      e.Set("syscall", Napi::String::New(info.Env(), call));
      throw e;
    }
    return Napi::Number::New(info.Env(), r);
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    ServerStats s = server_->stats();
    Napi::Object o = Napi::Object::New(info.Env());
    o.Set("connectionsOpen", Napi::Number::New(info.Env(), static_cast<double>(s.connections_open)));
    o.Set("fdLimit", Napi::Number::New(info.Env(), nofile_));  // the soft RLIMIT_NOFILE after raising
    for (int i = 0; i < kServerCounterCount; ++i)
      o.Set(server_counter_name(i), Napi::Number::New(info.Env(), static_cast<double>(s.counters[i])));
    return o;
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Shutdown();
    return info.Env().Undefined();
  }

  std::unique_ptr<Server> server_;
  std::string host_;
  int port_ = 0;
  double nofile_ = -1;
  napi_env env_ = nullptr;
  bool hooked_ = false;
};

// serverBackendUnavailable("epoll" | "io_uring"): null when the server's loops can use it here,
// else one line saying why not.
Napi::Value ServerBackendUnavailable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  if (name != "epoll" && name != "io_uring") throw Napi::TypeError::New(env, "Expected one of 'epoll', 'io_uring'");
  std::string why = server_backend_unavailable(name == "io_uring" ? ServerBackend::kIoUring : ServerBackend::kEpoll);
  if (why.empty()) return env.Null();
  return Napi::String::New(env, why);
}

// serverTls(): { unavailable: null | why, version: OpenSSL's version or "" } for list and doctor.
Napi::Value ServerTls(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  std::string why = server_tls_unavailable();
  o.Set("unavailable", why.empty() ? env.Null() : Napi::String::New(env, why));
  o.Set("version", Napi::String::New(env, server_tls_version()));
  return o;
}

}  // namespace

void InitServer(Napi::Env env, Napi::Object exports) {
  exports.Set("serverTls", Napi::Function::New(env, ServerTls, "serverTls"));
  exports.Set("Server", ServerWrap::Define(env));
  exports.Set("serverBackendUnavailable",
              Napi::Function::New(env, ServerBackendUnavailable, "serverBackendUnavailable"));
}

}  // namespace evb
