// `LoadGen`: the native load client for JS. The options were validated in JS
// (src/load/native-addon.ts) and are trusted here. run() hands a baton with no JS handles (a
// shared LoadClient) to an AsyncWorker; the load threads never touch JS, and progress()/stop()
// only read or set atomics.
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "load_backend.h"
#include "load_client.h"
#include "load_h2.h"
#include "load_tls.h"
#include "loadgen_binding.h"

namespace evb {
namespace {

// Connection scaling and arrivals (features "sourceAddresses", "connectRate", "active", "arrival").
void scaling_options(const Napi::Object& o, LoadOptions* r) {
  Napi::Value sources = o.Get("sourceAddresses");
  if (sources.IsArray()) {
    Napi::Array a = sources.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); ++i) r->source_addresses.push_back(a.Get(i).As<Napi::String>().Utf8Value());
  }
  Napi::Value connect_rate = o.Get("connectRate");
  if (connect_rate.IsNumber()) r->connect_rate = connect_rate.As<Napi::Number>().DoubleValue();
  Napi::Value active = o.Get("active");
  if (active.IsNumber()) r->active = active.As<Napi::Number>().Int32Value();
  Napi::Value arrival = o.Get("arrival");
  r->poisson = arrival.IsString() && arrival.As<Napi::String>().Utf8Value() == "poisson";
  Napi::Value seed = o.Get("seed");
  if (seed.IsNumber()) r->seed = static_cast<uint64_t>(seed.As<Napi::Number>().Int64Value());
}

// https (feature "tls"): {caFile?, insecure, alpn, resume, earlyData?}; absent = plain TCP.
void tls_options(const Napi::Object& o, LoadOptions* r) {
  Napi::Value tls = o.Get("tls");
  if (!tls.IsObject()) return;
  Napi::Object t = tls.As<Napi::Object>();
  r->tls = true;
  Napi::Value ca = t.Get("caFile");
  if (ca.IsString()) r->tls_ca_file = ca.As<Napi::String>().Utf8Value();
  Napi::Value insecure = t.Get("insecure");
  r->tls_insecure = insecure.IsBoolean() && insecure.As<Napi::Boolean>().Value();
  Napi::Value alpn = t.Get("alpn");
  if (alpn.IsString()) r->tls_alpn = alpn.As<Napi::String>().Utf8Value();
  Napi::Value resume = t.Get("resume");
  r->tls_resume = resume.IsBoolean() && resume.As<Napi::Boolean>().Value();
  Napi::Value early = t.Get("earlyData");
  r->tls_early_data = r->tls_resume && early.IsBoolean() && early.As<Napi::Boolean>().Value();
}

// HTTP/2 (feature "h2"): {streams, window?}; absent = HTTP/1.1.
void h2_options(const Napi::Object& o, LoadOptions* r) {
  Napi::Value h2 = o.Get("h2");
  if (!h2.IsObject()) return;
  Napi::Object h = h2.As<Napi::Object>();
  r->h2 = true;
  r->h2_streams = h.Get("streams").As<Napi::Number>().Int32Value();
  Napi::Value window = h.Get("window");
  if (window.IsNumber()) r->h2_window = static_cast<uint32_t>(window.As<Napi::Number>().Int64Value());
}

LoadOptions options_from(const Napi::Object& o) {
  LoadOptions r;
  r.host = o.Get("host").As<Napi::String>().Utf8Value();
  r.port = o.Get("port").As<Napi::Number>().Int32Value();
  r.threads = o.Get("threads").As<Napi::Number>().Int32Value();
  r.connections = o.Get("connections").As<Napi::Number>().Int32Value();
  r.pipeline = o.Get("pipeline").As<Napi::Number>().Int32Value();
  Napi::Value rate = o.Get("rate");
  r.rate = rate.IsNumber() ? rate.As<Napi::Number>().DoubleValue() : 0;
  r.keep_alive = o.Get("keepAlive").As<Napi::Boolean>().Value();
  r.fast_open = o.Get("fastOpen").As<Napi::Boolean>().Value();
  r.echo = o.Get("echo").As<Napi::Boolean>().Value();
  r.method = o.Get("method").As<Napi::String>().Utf8Value();
  r.path = o.Get("path").As<Napi::String>().Utf8Value();
  Napi::Object headers = o.Get("headers").As<Napi::Object>();
  Napi::Array names = headers.GetPropertyNames();
  for (uint32_t i = 0; i < names.Length(); ++i) {
    Napi::Value k = names.Get(i);
    r.headers.emplace_back(k.ToString().Utf8Value(), headers.Get(k).ToString().Utf8Value());
  }
  r.body_bytes = static_cast<size_t>(o.Get("bodyBytes").As<Napi::Number>().Int64Value());
  r.warmup_s = o.Get("warmupS").As<Napi::Number>().DoubleValue();
  r.duration_s = o.Get("durationS").As<Napi::Number>().DoubleValue();
  r.timeout_ms = o.Get("timeoutMs").As<Napi::Number>().Int64Value();
  Napi::Value connect_timeout = o.Get("connectTimeoutMs");
  if (connect_timeout.IsNumber()) r.connect_timeout_ms = connect_timeout.As<Napi::Number>().Int64Value();
  // The body's characters are bytes (latin1: JS validated every code unit < 256).
  Napi::Value body = o.Get("body");
  if (body.IsString()) {
    std::u16string units = body.As<Napi::String>().Utf16Value();
    r.body.reserve(units.size());
    for (char16_t u : units) r.body.push_back(static_cast<char>(static_cast<unsigned char>(u)));
    r.has_body = true;
    r.body_bytes = r.body.size();
  }
  Napi::Value cpus = o.Get("cpus");
  if (cpus.IsArray()) {
    Napi::Array a = cpus.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); ++i) r.cpus.push_back(a.Get(i).As<Napi::Number>().Int32Value());
  }
  // Newer fields, optional: absent means the default.
  Napi::Value requests = o.Get("requests");
  if (requests.IsNumber()) r.requests = static_cast<uint64_t>(requests.As<Napi::Number>().Int64Value());
  Napi::Value check_status = o.Get("checkStatus");
  if (check_status.IsNumber()) r.check_status = check_status.As<Napi::Number>().Int32Value();
  Napi::Value check_length = o.Get("checkLength");
  if (check_length.IsNumber()) r.check_length = check_length.As<Napi::Number>().Int64Value();
  Napi::Value check_hash = o.Get("checkBodyHash");  // 16 hex digits (JS validated them)
  if (check_hash.IsString()) {
    r.check_body = true;
    r.check_body_hash = std::stoull(check_hash.As<Napi::String>().Utf8Value(), nullptr, 16);
  }
  Napi::Value backend = o.Get("backend");
  if (backend.IsString() && backend.As<Napi::String>().Utf8Value() == "io_uring") r.backend = LoadOptions::kIoUring;
  Napi::Value sqpoll = o.Get("sqpoll");
  if (sqpoll.IsBoolean()) r.sqpoll = sqpoll.As<Napi::Boolean>().Value();
  scaling_options(o, &r);
  tls_options(o, &r);
  h2_options(o, &r);
  return r;
}

// Non-empty buckets as (value in microseconds, count): JS records them into hdr-histogram-js.
template <typename ForEach>
Napi::Object buckets_from(Napi::Env env, size_t buckets, ForEach for_each) {
  Napi::Float64Array values = Napi::Float64Array::New(env, buckets);
  Napi::Float64Array counts = Napi::Float64Array::New(env, buckets);
  size_t i = 0;
  for_each([&](uint64_t ns, uint64_t n) {
    values[i] = static_cast<double>(ns) / 1000.0;
    counts[i] = static_cast<double>(n);
    ++i;
  });
  Napi::Object o = Napi::Object::New(env);
  o.Set("valuesUs", values);
  o.Set("counts", counts);
  return o;
}

Napi::Object buckets_object(Napi::Env env, const Histogram& h) {
  size_t buckets = 0;
  h.for_each([&](uint64_t, uint64_t) { ++buckets; });
  return buckets_from(env, buckets, [&](auto f) { h.for_each(f); });
}

// One entry per second of the window (perSecond's length), each the second's buckets in the
// same form as `latency` (an empty second has none).
Napi::Array intervals_array(Napi::Env env, const IntervalLatency& iv, size_t seconds) {
  Napi::Array out = Napi::Array::New(env, seconds);
  for (size_t k = 0; k < seconds; ++k) {
    static const IntervalLatency::Second kNone;
    const IntervalLatency::Second& sec = k < iv.seconds().size() ? iv.seconds()[k] : kNone;
    out.Set(static_cast<uint32_t>(k), buckets_from(env, sec.size(), [&](auto f) {
              for (const auto& b : sec) f(IntervalLatency::representative_ns(b.first), b.second);
            }));
  }
  return out;
}

// {"200": n, "404": n, ...}: the window's answers by exact status code (echo answers have none).
Napi::Object status_codes(Napi::Env env, const LoadStats& s) {
  Napi::Object o = Napi::Object::New(env);
  for (size_t c = 100; c < LoadStats::kStatusCodes; ++c)
    if (s.status_codes[c] != 0)
      o.Set(std::to_string(c), Napi::Number::New(env, static_cast<double>(s.status_codes[c])));
  return o;
}

double as_number(uint64_t n) { return static_cast<double>(n); }

// Every connect of the run: attempts, outcomes by kind, latency buckets, the ramp.
Napi::Object connect_object(Napi::Env env, const ConnectStats& k, double ramp_s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("attempts", Napi::Number::New(env, as_number(k.attempts)));
  o.Set("opened", Napi::Number::New(env, as_number(k.opened)));
  o.Set("firstOpened", Napi::Number::New(env, as_number(k.first_opened)));
  o.Set("rampS", Napi::Number::New(env, ramp_s));
  o.Set("rampCpuS", Napi::Number::New(env, static_cast<double>(k.ramp_cpu_ns) / 1e9));
  Napi::Object errors = Napi::Object::New(env);
  for (int i = 0; i < kConnErrKinds; ++i)
    errors.Set(connect_error_name(static_cast<ConnectError>(i)), Napi::Number::New(env, as_number(k.errors[i])));
  o.Set("errors", errors);
  o.Set("latency", buckets_object(env, k.latency));
  return o;
}

// Every handshake of the run (https only): counts, failures by kind, latency, what was negotiated.
Napi::Object tls_object(Napi::Env env, const TlsStats& t) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("handshakes", Napi::Number::New(env, as_number(t.handshakes)));
  o.Set("resumed", Napi::Number::New(env, as_number(t.resumed)));
  o.Set("earlyDataSent", Napi::Number::New(env, as_number(t.early_data_sent)));
  o.Set("earlyDataAccepted", Napi::Number::New(env, as_number(t.early_data_accepted)));
  Napi::Object errors = Napi::Object::New(env);
  for (int i = 0; i < kTlsErrKinds; ++i)
    errors.Set(tls_error_name(static_cast<TlsError>(i)), Napi::Number::New(env, as_number(t.errors[i])));
  o.Set("errors", errors);
  o.Set("latency", buckets_object(env, t.latency));
  o.Set("version", t.version.empty() ? env.Null() : Napi::String::New(env, t.version));
  o.Set("cipher", t.cipher.empty() ? env.Null() : Napi::String::New(env, t.cipher));
  o.Set("alpn", t.alpn.empty() ? env.Null() : Napi::String::New(env, t.alpn));
  return o;
}

const char* phase_name(LoadProgress::Phase p) {
  switch (p) {
    case LoadProgress::kIdle: return "idle";
    case LoadProgress::kWarmup: return "warmup";
    case LoadProgress::kMeasure: return "measure";
    case LoadProgress::kDone: return "done";
  }
  return "idle";
}

class RunWorker : public Napi::AsyncWorker {
 public:
  RunWorker(Napi::Env env, std::shared_ptr<LoadClient> client)
      : Napi::AsyncWorker(env), client_(std::move(client)), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      report_ = client_->run();
    } catch (const std::exception& e) {
      SetError(e.what());
    } catch (...) {
      SetError("load client failed");
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    const LoadStats& s = report_.stats;
    Napi::Object r = Napi::Object::New(env);
    r.Set("requests", Napi::Number::New(env, static_cast<double>(s.requests)));
    r.Set("completedTotal", Napi::Number::New(env, static_cast<double>(s.completed_total)));
    // Request accounting (load_stats.h): sent == completedTotal + failed + unfinished.
    r.Set("sent", Napi::Number::New(env, static_cast<double>(s.sent)));
    r.Set("failed", Napi::Number::New(env, static_cast<double>(s.failed)));
    r.Set("unfinished", Napi::Number::New(env, static_cast<double>(s.unfinished)));
    r.Set("backend", Napi::String::New(env, report_.backend));
    r.Set("sqpoll", Napi::Boolean::New(env, report_.sqpoll));
    r.Set("bytesRead", Napi::Number::New(env, static_cast<double>(s.bytes_read)));
    r.Set("durationS", Napi::Number::New(env, report_.duration_s));
    Napi::Object errors = Napi::Object::New(env);
    errors.Set("connect", Napi::Number::New(env, static_cast<double>(s.errors[kLoadErrConnect])));
    errors.Set("reset", Napi::Number::New(env, static_cast<double>(s.errors[kLoadErrReset])));
    errors.Set("timeout", Napi::Number::New(env, static_cast<double>(s.errors[kLoadErrTimeout])));
    errors.Set("badResponse", Napi::Number::New(env, static_cast<double>(s.errors[kLoadErrBadResponse])));
    errors.Set("status", Napi::Number::New(env, static_cast<double>(s.errors[kLoadErrStatus])));
    errors.Set("tls", Napi::Number::New(env, static_cast<double>(s.errors[kLoadErrTls])));
    errors.Set("goaway", Napi::Number::New(env, static_cast<double>(s.errors[kLoadErrGoaway])));
    errors.Set("rstStream", Napi::Number::New(env, static_cast<double>(s.errors[kLoadErrRstStream])));
    r.Set("errors", errors);
    Napi::Object status = Napi::Object::New(env);
    for (int c = 1; c <= 5; ++c)
      if (s.status[c] != 0)
        status.Set(std::to_string(c) + "xx", Napi::Number::New(env, static_cast<double>(s.status[c])));
    r.Set("status", status);
    r.Set("statusCodes", status_codes(env, s));
    Napi::Object check = Napi::Object::New(env);  // --check: answers unlike the expected one
    check.Set("mismatched", Napi::Number::New(env, static_cast<double>(s.mismatched)));
    check.Set("status", Napi::Number::New(env, static_cast<double>(s.mismatch[kCheckStatus])));
    check.Set("length", Napi::Number::New(env, static_cast<double>(s.mismatch[kCheckLength])));
    check.Set("body", Napi::Number::New(env, static_cast<double>(s.mismatch[kCheckBody])));
    r.Set("check", check);
    Napi::Object latency = buckets_object(env, s.latency);
    latency.Set("minUs", Napi::Number::New(env, static_cast<double>(s.latency.min()) / 1000.0));
    latency.Set("maxUs", Napi::Number::New(env, static_cast<double>(s.latency.max()) / 1000.0));
    latency.Set("meanUs", Napi::Number::New(env, s.latency.mean() / 1000.0));
    r.Set("latency", latency);
    Napi::Array per = Napi::Array::New(env, s.per_second.size());
    for (size_t k = 0; k < s.per_second.size(); ++k)
      per.Set(static_cast<uint32_t>(k), Napi::Number::New(env, static_cast<double>(s.per_second[k])));
    r.Set("perSecond", per);
    r.Set("intervals", intervals_array(env, s.intervals, s.per_second.size()));
    r.Set("connect", connect_object(env, s.connect, report_.ramp_s));
    if (client_->options().tls) r.Set("tls", tls_object(env, s.tls));
    deferred_.Resolve(r);
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  std::shared_ptr<LoadClient> client_;
  Napi::Promise::Deferred deferred_;
  LoadReport report_;
};

// What this build of the generator can do, for the CLI to enable the flags that need it.
Napi::Array features(Napi::Env env) {
  std::vector<const char*> names = {"body",    "connectTimeout",     "statusCodes",     "intervals",   "lastSecondP50",
                                    "check",   "lastSecondRequests", "sourceAddresses", "connectRate", "active",
                                    "arrival", "connectStats"};
  if (tls_unavailable().empty()) names.push_back("tls");  // https, and the tls error kind
  if (h2_unavailable().empty()) names.push_back("h2");    // HTTP/2, and the goaway/rstStream kinds
  Napi::Array a = Napi::Array::New(env, names.size());
  for (uint32_t i = 0; i < a.Length(); ++i) a.Set(i, Napi::String::New(env, names[i]));
  return a;
}

// tlsStatus() / h2Status(): {unavailable: reason or null, library: "OpenSSL 3.0.x ..." or null}.
Napi::Value library_status(Napi::Env env, const std::string& why, const std::string& lib) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("unavailable", why.empty() ? env.Null() : Napi::String::New(env, why));
  o.Set("library", lib.empty() ? env.Null() : Napi::String::New(env, lib));
  return o;
}

Napi::Value TlsStatus(const Napi::CallbackInfo& info) {
  return library_status(info.Env(), tls_unavailable(), tls_library_version());
}
Napi::Value H2Status(const Napi::CallbackInfo& info) {
  return library_status(info.Env(), h2_unavailable(), h2_library_version());
}

class LoadGen : public Napi::ObjectWrap<LoadGen> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "LoadGen",
                       {InstanceMethod<&LoadGen::Run>("run"), InstanceMethod<&LoadGen::Progress>("progress"),
                        InstanceMethod<&LoadGen::Stop>("stop"), StaticValue("features", features(env))});
  }

  explicit LoadGen(const Napi::CallbackInfo& info) : Napi::ObjectWrap<LoadGen>(info) {
    if (info.Length() < 1 || !info[0].IsObject()) throw Napi::TypeError::New(info.Env(), "Expected an options object");
    client_ = std::make_shared<LoadClient>(options_from(info[0].As<Napi::Object>()));
  }

 private:
  Napi::Value Run(const Napi::CallbackInfo& info) {
    if (started_) throw Napi::Error::New(info.Env(), "LoadGen.run() may be called once");
    started_ = true;
    auto* worker = new RunWorker(info.Env(), client_);
    Napi::Promise p = worker->promise();
    worker->Queue();
    return p;
  }

  Napi::Value Progress(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    LoadProgress p = client_->progress();
    Napi::Object o = Napi::Object::New(env);
    o.Set("phase", phase_name(p.phase));
    o.Set("elapsedS", Napi::Number::New(env, p.elapsed_s));
    o.Set("requests", Napi::Number::New(env, static_cast<double>(p.requests)));
    o.Set("sent", Napi::Number::New(env, static_cast<double>(p.sent)));
    if (p.p99_ns > 0) {
      o.Set("p99Us", Napi::Number::New(env, static_cast<double>(p.p99_ns) / 1000.0));
    } else {
      o.Set("p99Us", env.Null());
    }
    if (p.p50_last_second_ns > 0) {
      o.Set("p50LastSecondUs", Napi::Number::New(env, static_cast<double>(p.p50_last_second_ns) / 1000.0));
    } else {
      o.Set("p50LastSecondUs", env.Null());
    }
    if (p.p99_last_second_ns > 0) {
      o.Set("p99LastSecondUs", Napi::Number::New(env, static_cast<double>(p.p99_last_second_ns) / 1000.0));
    } else {
      o.Set("p99LastSecondUs", env.Null());
    }
    o.Set("errors", Napi::Number::New(env, static_cast<double>(p.errors)));
    if (p.last_second > 0) {
      o.Set("lastSecond", Napi::Number::New(env, static_cast<double>(p.last_second)));
      o.Set("lastSecondRequests", Napi::Number::New(env, static_cast<double>(p.last_second_requests)));
    } else {
      o.Set("lastSecond", env.Null());
      o.Set("lastSecondRequests", env.Null());
    }
    return o;
  }

  Napi::Value Stop(const Napi::CallbackInfo& info) {
    client_->stop();
    return info.Env().Undefined();
  }

  std::shared_ptr<LoadClient> client_;
  bool started_ = false;
};

// loadBackendUnavailable("epoll" | "io_uring", sqpoll?): null when the backend can run here,
// else one line saying why not.
Napi::Value BackendUnavailable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(env, "Expected a backend name");
  std::string name = info[0].As<Napi::String>().Utf8Value();
  if (name != "epoll" && name != "io_uring") throw Napi::TypeError::New(env, "Expected one of 'epoll', 'io_uring'");
  bool sqpoll = info.Length() > 1 && info[1].IsBoolean() && info[1].As<Napi::Boolean>().Value();
  std::string why = load_backend_unavailable(name == "io_uring" ? LoadOptions::kIoUring : LoadOptions::kEpoll, sqpoll);
  if (why.empty()) return env.Null();
  return Napi::String::New(env, why);
}

}  // namespace

void InitLoadGen(Napi::Env env, Napi::Object exports) {
  exports.Set("LoadGen", LoadGen::Define(env));
  exports.Set("tlsStatus", Napi::Function::New(env, TlsStatus, "tlsStatus"));
  exports.Set("h2Status", Napi::Function::New(env, H2Status, "h2Status"));
  exports.Set("loadBackendUnavailable", Napi::Function::New(env, BackendUnavailable, "loadBackendUnavailable"));
}

}  // namespace evb
