// The `native` target: hosts the addon's event-loop server in its own process and speaks the
// target contract of docs/architecture.md (flags, READY line, stats control channel).
import { createRequire } from "node:module";
import { accessSync, constants, existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const addonPath = resolve(repo, "build", "Release", "evbench_native.node");

function usage(message) {
  process.stderr.write(`native: ${message}\n`);
  process.exit(2);
}

function integerFlag(name, value, min) {
  const n = Number(value);
  if (value === undefined || value === "" || !Number.isInteger(n) || n < min) {
    usage(`--${name} expects an integer >= ${min}, got ${JSON.stringify(value ?? null)}`);
  }
  return n;
}

// Seconds (decimals allowed, 0 disables) to the addon's milliseconds.
function secondsFlag(name, value) {
  const n = Number(value);
  if (value === undefined || value === "" || !Number.isFinite(n) || n < 0 || n > 86400) {
    usage(`--${name} expects seconds between 0 (off) and 86400, got ${JSON.stringify(value ?? null)}`);
  }
  return Math.round(n * 1000);
}

/** The contract's refusals for TLS, before the addon is asked (a bad file is bad input: exit 2). */
function checkTls(o) {
  if ((o.tlsCert === undefined) !== (o.tlsKey === undefined)) usage("--tls-cert and --tls-key go together: name both PEM files");
  if (o.ktls && o.tlsCert === undefined) usage("--ktls offloads TLS: add --tls-cert and --tls-key");
  if (o.tlsEarlyData && o.tlsCert === undefined) usage("--tls-early-data is TLS's: add --tls-cert and --tls-key");
  if (o.tlsCert === undefined) return;
  if (o.mode !== "http") usage("--tls-cert applies to --mode http only");
  if (o.backend === "io_uring") usage("--tls-cert: the io_uring loops have no TLS; use --backend epoll");
  for (const [flag, file] of [
    ["--tls-cert", o.tlsCert],
    ["--tls-key", o.tlsKey],
  ]) {
    try {
      accessSync(file, constants.R_OK);
    } catch {
      usage(`${flag} ${file}: cannot read the file; name a readable PEM file`);
    }
  }
}

function parseArgs(argv) {
  const o = { host: "127.0.0.1", port: undefined, threads: 1, mode: "http" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") ? arg.slice(2, eq < 0 ? undefined : eq) : undefined;
    const value = () => (eq >= 0 ? arg.slice(eq + 1) : argv[++i]);
    switch (name) {
      case "port":
        o.port = integerFlag(name, value(), 0);
        break;
      case "threads":
        o.threads = integerFlag(name, value(), 1);
        break;
      case "host":
        o.host = value() ?? usage("--host expects an address");
        break;
      case "mode": {
        const m = value();
        if (m !== "http" && m !== "echo") usage(`--mode expects http or echo, got ${JSON.stringify(m ?? null)}`);
        o.mode = m;
        break;
      }
      case "backend": {
        // issue 17: the loops' I/O; the addon says why io_uring cannot run here
        const b = value();
        if (b !== "epoll" && b !== "io_uring") usage(`--backend expects epoll or io_uring, got ${JSON.stringify(b ?? null)}`);
        o.backend = b;
        break;
      }
      case "fast-open":
        o.fastOpen = integerFlag(name, value(), 0);
        break;
      case "max-body-bytes":
        o.maxBodyBytes = integerFlag(name, value(), 1);
        break;
      case "header-timeout":
        o.headerTimeoutMs = secondsFlag(name, value());
        break;
      case "body-timeout":
        o.bodyTimeoutMs = secondsFlag(name, value());
        break;
      case "idle-timeout":
        o.idleTimeoutMs = secondsFlag(name, value());
        break;
      case "tls-cert":
        o.tlsCert = value() ?? usage("--tls-cert expects a PEM file");
        break;
      case "tls-key":
        o.tlsKey = value() ?? usage("--tls-key expects a PEM file");
        break;
      case "ktls":
        o.ktls = true; // kernel TLS offload where the kernel and OpenSSL allow it (stats: ktlsSend)
        break;
      case "tls-early-data":
        o.tlsEarlyData = true; // TLS 1.3 early data on resumption (stats: tlsEarlyData)
        break;
      case "h2c":
        usage("--h2c: the native server does not speak cleartext HTTP/2 (it speaks h1, h1-tls)");
        break;
      case "cpus": {
        const v = value() ?? "";
        o.cpus = v.split(",").map((c) => integerFlag(name, c, 0));
        const n = availableParallelism();
        if (o.cpus.some((c) => c >= n)) usage(`--cpus ${v}: this machine has CPUs 0..${n - 1}`);
        break;
      }
      default:
        usage(`unknown flag ${JSON.stringify(arg)}`);
    }
  }
  checkTls(o);
  if (o.port === undefined) usage("--port is required");
  if (o.port > 65535) usage(`--port expects 0..65535, got ${o.port}`);
  return o;
}

const options = parseArgs(process.argv.slice(2));
if (!existsSync(addonPath)) {
  process.stderr.write(`native: the addon is not built (${addonPath} missing): run npm run build:addon\n`);
  process.exit(1);
}
const { Server, serverTls } = createRequire(import.meta.url)(addonPath);

let server;
try {
  server = new Server(options);
  const port = server.listen();
  process.stdout.write(`READY ${port}\n`);
} catch (err) {
  process.stderr.write(`native: ${err instanceof Error ? err.message : String(err)}\n`);
  // A port another process holds, or a certificate that does not load or a TLS this build lacks,
  // is the user's to fix, like a bad flag: exit 2, as every target.
  const tlsProblem = err?.code === "EVB_TLS_UNAVAILABLE" || String(err?.syscall ?? "").startsWith("TLS");
  process.exit(err?.code === "EADDRINUSE" || tlsProblem ? 2 : 1);
}

// The protocol facts of the contract, and what the handshakes did (the counters below: full and
// resumed handshakes, kTLS engaged per connection, TLS failures).
const tlsFacts = options.tlsCert
  ? {
      tls: true,
      alpn: ["http/1.1"],
      h2c: false,
      ktlsAsked: options.ktls === true,
      earlyDataAsked: options.tlsEarlyData === true,
      openssl: serverTls().version,
    }
  : { tls: false, h2c: false };

function stop(code) {
  server.close();
  process.exit(code);
}

// Control channel: one JSON line per "stats" line. The Node host's own GC and heap are not the
// server's (the loops run in C++ threads and allocate nothing per request), so the GC fields are 0
// and the managed-heap fields null, as docs/architecture.md allows.
createInterface({ input: process.stdin })
  .on("line", (line) => {
    // profile: the loops run in C++ threads, which V8's profiler does not sample (control.mjs).
    if (/^profile-(start|stop)\b/.test(line.trim())) {
      process.stdout.write(`${JSON.stringify({ unsupported: "the server runs in C++ threads V8 does not profile; use perf record" })}\n`);
      return;
    }
    if (line.trim() !== "stats") return;
    const s = server.stats();
    const reply = {
      runtime: "native",
      gcCycles: 0,
      gcPauseNs: 0,
      allocBytes: null,
      allocObjects: null,
      heapBytes: null,
      requests: s.requests,
      versions: { node: process.versions.node, napi: process.versions.napi },
      extra: {
        mode: options.mode,
        threads: options.threads,
        backend: options.backend ?? "epoll",
        ...tlsFacts,
        ...s,
        // The contract's form of the handshake counts, as the other TLS targets give them.
        ...(options.tlsCert ? { tlsHandshakes: { full: s.tlsHandshakes, resumed: s.tlsResumed } } : {}),
      },
    };
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  })
  .on("close", () => stop(0));

process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(130));
