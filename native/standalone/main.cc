// native-standalone: the C++ core's server in its own executable, without Node, speaking the
// target contract of docs/architecture.md (flags, READY, the stats channel on stdin, exit on
// EOF). Beside `native` (the same server hosted in Node) it shows what the core itself costs.
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "server.h"

namespace {

[[noreturn]] void usage(const std::string& message) {
  std::fprintf(stderr, "native-standalone: %s\n", message.c_str());
  std::exit(2);
}

long integer_flag(const std::string& name, const char* value, long min, long max) {
  char* end = nullptr;
  long n = value && *value ? std::strtol(value, &end, 10) : 0;
  if (!value || !*value || *end || n < min || n > max)
    usage("--" + name + " expects an integer in " + std::to_string(min) + ".." + std::to_string(max) + ", got " +
          (value ? std::string("\"") + value + "\"" : "nothing"));
  return n;
}

// The contract's refusals for TLS: each one line and exit 2, before anything is bound.
void check_tls(const evb::ServerOptions& o) {
  if (o.tls_cert.empty() != o.tls_key.empty()) usage("--tls-cert and --tls-key go together: name both PEM files");
  if (o.ktls && o.tls_cert.empty()) usage("--ktls offloads TLS: add --tls-cert and --tls-key");
  if (o.tls_early_data && o.tls_cert.empty()) usage("--tls-early-data is TLS's: add --tls-cert and --tls-key");
  if (o.tls_cert.empty()) return;
  if (o.mode != evb::ServerMode::kHttp) usage("--tls-cert applies to --mode http only");
  if (o.backend == evb::ServerBackend::kIoUring)
    usage("--tls-cert: the io_uring loops have no TLS; use --backend epoll");
  std::string why = evb::server_tls_unavailable();
  if (!why.empty()) usage("--tls-cert: TLS is unavailable: " + why);
}

evb::ServerOptions parse_args(int argc, char** argv) {
  evb::ServerOptions o;
  bool port_given = false;
  const long cores = static_cast<long>(std::thread::hardware_concurrency());
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) usage("unexpected argument \"" + arg + "\"");
    size_t eq = arg.find('=');
    std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    std::string inline_value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (name == "ktls" && eq == std::string::npos) {  // a flag without a value
      o.ktls = true;
      continue;
    }
    if (name == "tls-early-data" && eq == std::string::npos) {
      o.tls_early_data = true;
      continue;
    }
    if (name == "h2c") usage("--h2c: the native server does not speak cleartext HTTP/2 (it speaks h1, h1-tls)");
    const char* value = eq != std::string::npos ? inline_value.c_str() : (i + 1 < argc ? argv[++i] : nullptr);
    if (name == "port")
      o.port = static_cast<int>(integer_flag(name, value, 0, 65535)), port_given = true;
    else if (name == "threads")
      o.threads = static_cast<int>(integer_flag(name, value, 1, 256));
    else if (name == "host" && value && *value)
      o.host = value;
    else if (name == "tls-cert" && value && *value)
      o.tls_cert = value;
    else if (name == "tls-key" && value && *value)
      o.tls_key = value;
    else if (name == "fast-open")
      o.fast_open = static_cast<int>(integer_flag(name, value, 0, 1 << 20));
    else if (name == "max-body-bytes")
      o.max_body_bytes = static_cast<uint64_t>(integer_flag(name, value, 1, 1L << 40));
    else if (name == "mode") {
      std::string m = value ? value : "";
      if (m != "http" && m != "echo") usage("--mode expects http or echo, got \"" + m + "\"");
      o.mode = m == "http" ? evb::ServerMode::kHttp : evb::ServerMode::kEcho;
    } else if (name == "backend") {  // issue 17: the loops' I/O
      std::string b = value ? value : "";
      if (b != "epoll" && b != "io_uring") usage("--backend expects epoll or io_uring, got \"" + b + "\"");
      o.backend = b == "io_uring" ? evb::ServerBackend::kIoUring : evb::ServerBackend::kEpoll;
      std::string why = evb::server_backend_unavailable(o.backend);
      if (!why.empty()) {
        std::fprintf(stderr, "native-standalone: --backend io_uring is unavailable here: %s\n", why.c_str());
        std::exit(1);
      }
    } else if (name == "cpus") {
      std::string list = value ? value : "";
      for (size_t at = 0; at <= list.size();) {
        size_t comma = list.find(',', at);
        std::string one = list.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        o.cpus.push_back(static_cast<int>(integer_flag(name, one.c_str(), 0, cores > 0 ? cores - 1 : 0)));
        at = comma == std::string::npos ? list.size() + 1 : comma + 1;
      }
    } else {
      usage("unknown flag or missing value \"" + arg + "\"");
    }
  }
  if (!port_given) usage("--port is required");
  check_tls(o);
  return o;
}

// One JSON line, the contract's fields; the server's counters go into `extra`.
void write_stats(const evb::Server& server, const evb::ServerOptions& o) {
  evb::ServerStats s = server.stats();
  std::string extra = "\"mode\":\"" + std::string(o.mode == evb::ServerMode::kHttp ? "http" : "echo") +
                      "\",\"threads\":" + std::to_string(o.threads) + ",\"backend\":\"" +
                      (o.backend == evb::ServerBackend::kIoUring ? "io_uring" : "epoll") + "\"" +
                      ",\"connectionsOpen\":" + std::to_string(s.connections_open);
  for (int i = 0; i < evb::kServerCounterCount; ++i) {
    if (i == evb::kTlsHandshakes && !o.tls_cert.empty()) continue;  // given in the contract's form below
    extra += ",\"" + std::string(evb::server_counter_name(i)) + "\":" + std::to_string(s.counters[i]);
  }
  if (o.tls_cert.empty()) {
    extra += ",\"tls\":false,\"h2c\":false";
  } else {
    extra +=
        ",\"tls\":true,\"alpn\":[\"http/1.1\"],\"h2c\":false,\"ktlsAsked\":" + std::string(o.ktls ? "true" : "false") +
        ",\"earlyDataAsked\":" + std::string(o.tls_early_data ? "true" : "false") + ",\"openssl\":\"" +
        evb::server_tls_version() +
        "\",\"tlsHandshakes\":{\"full\":" + std::to_string(s.counters[evb::kTlsHandshakes]) +
        ",\"resumed\":" + std::to_string(s.counters[evb::kTlsResumed]) + "}";
  }
  std::printf(
      "{\"runtime\":\"native\",\"gcCycles\":0,\"gcPauseNs\":0,\"allocBytes\":null,\"allocObjects\":null,"
      "\"heapBytes\":null,\"requests\":%llu,\"versions\":{\"cxx\":\"%s\"},\"extra\":{%s}}\n",
      static_cast<unsigned long long>(s.counters[evb::kRequests]), __VERSION__, extra.c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // the loops send with MSG_NOSIGNAL; stdout may still be a closed pipe
  evb::ServerOptions options = parse_args(argc, argv);
  evb::Server server(options);
  const char* call = "listen";
  int port = server.listen(&call);
  if (port < 0) {
    std::fprintf(stderr, "native-standalone: listen %s:%d: %s failed: %s\n", options.host.c_str(), options.port, call,
                 std::strerror(-port));
    // A port another process holds, a certificate that does not load: the user's to fix, like a flag.
    return port == -EADDRINUSE || std::strncmp(call, "TLS", 3) == 0 ? 2 : 1;
  }
  std::printf("READY %d\n", port);
  std::fflush(stdout);

  // The control channel: each "stats" line gets one JSON line; EOF ends the process at once.
  std::string line;
  char buf[4096];
  for (ssize_t n; (n = read(0, buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    line.append(buf, static_cast<size_t>(n));
    for (size_t nl; (nl = line.find('\n')) != std::string::npos; line.erase(0, nl + 1)) {
      std::string cmd = line.substr(0, nl);
      while (!cmd.empty() && (cmd.back() == '\r' || cmd.back() == ' ')) cmd.pop_back();
      if (cmd == "stats") write_stats(server, options);
    }
  }
  server.close();
  return 0;
}
