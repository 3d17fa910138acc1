// Requests per client CPU-second over TLS and HTTP/2 (issue 24's performance goals): the native
// generator against wrk (https, HTTP/1.1 keep-alive) and h2load (h2 over TLS, h2c, and one full
// TLS handshake per request), side by side in one run, against nethttp. Server pinned to CPU 1,
// client to CPU 0, one client thread, 16 connections, GET /plaintext; the generators alternate
// inside each repetition so that machine noise spreads over both. Ratios in one run are what to read.
//   node native/bench/loadgen-tls.mjs [seconds=5] [repetitions=3] [case...]
//   cases: https (1), h2 (2), h2c (3), handshakes (4), handshakes-unchecked (5); none named: all five
// Needs: npm run build:addon (with OpenSSL and nghttp2), the Go targets (npm ci builds nethttp),
// wrk, h2load, the openssl binary. The certificate (a throwaway CA and a leaf for 127.0.0.1, as
// src/tls/certs.ts makes them) lives in a temp folder removed at exit; every child is killed then.
// Client CPU: the native generator measures its own around run() (process.cpuUsage, as in
// loadgen-cpu.mjs); wrk's and h2load's are exact, from this process's cutime+cstime (/proc/self/stat)
// before and after the child is reaped (a /proc/<pid> poll would miss the child's last tens of ms).
// Server CPU share: nethttp's utime+stime (/proc/<pid>/stat) over the generator's window, % of one
// core: near 100 % the server was the limit, and both generators must have driven the same server.
// Exit 0 whatever the figures (a measurement, not a test); 1 with one line when something fails to start.
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const addon = `${root}/build/Release/evbench_native.node`;
const nethttp = `${root}/build/targets/nethttp`;
const seconds = Number(process.argv[2] ?? 5);
const reps = Number(process.argv[3] ?? 3);
let port = 0;  // each case's server's, from its READY line (it binds port 0: no collision with a busy port)
const url = (scheme) => `${scheme}://127.0.0.1:${port}/plaintext`;
const CHILD_TIMEOUT_MS = (seconds * 4 + 30) * 1000;

// Each case: the server's flags, the native spec's protocol fields, the other generator, the goal.
const CASES = {
  https: { n: 1, title: "https keep-alive, HTTP/1.1, 16 connections", tls: true, goal: 1.1, other: "wrk",
    spec: (ca) => ({ tls: { caFile: ca, insecure: false, alpn: "http/1.1", resume: false } }), expect: "http/1.1" },
  h2: { n: 2, title: "h2 over TLS, 16 connections x 100 streams", tls: true, goal: 1.2, other: "h2load",
    spec: (ca) => ({ tls: { caFile: ca, insecure: false, alpn: "h2", resume: false }, h2: { streams: 100 } }), expect: "h2" },
  h2c: { n: 3, title: "h2c (prior knowledge), 16 connections x 100 streams", tls: false, goal: 1.2, other: "h2load",
    spec: () => ({ h2: { streams: 100 } }), expect: "h2c" },
  handshakes: { n: 4, title: "full TLS handshakes: one request per connection, no resumption", tls: true, goal: 1.0, other: "h2load",
    spec: (ca) => ({ keepAlive: false, tls: { caFile: ca, insecure: false, alpn: "http/1.1", resume: false } }), expect: "http/1.1" },
  // The same work on both sides: h2load never checks the server's certificate, and native's check
  // against the run's CA is about a fifth of its handshake CPU (a 2 s try: 1,609-1,661 handshakes
  // per client CPU-second checked, 1,925-2,039 unchecked).
  "handshakes-unchecked": { n: 5, title: "full TLS handshakes, the certificate unchecked on both sides (as h2load)", tls: true, goal: 1.0,
    other: "h2load", spec: () => ({ keepAlive: false, tls: { caFile: "", insecure: true, alpn: "http/1.1", resume: false } }), expect: "http/1.1" },
};

const children = new Set();
let certDir = null;
process.on("exit", () => {
  for (const c of children) c.kill("SIGKILL");
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));

function fatal(msg) {
  console.error(`loadgen-tls: ${msg}`);
  process.exit(1);
}

function start(cmd, args) {
  const c = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
  children.add(c);
  c.on("exit", () => children.delete(c));
  c.on("error", (e) => fatal(`${cmd} ${args.join(" ")}: ${e.message}`));
  return c;
}

/** Runs a child to its end (bounded): its output, and its CPU from this process's reaped-children counters. */
function runChild(cmd, args, onStderr) {
  const c0 = childrenCpu();
  const c = start(cmd, args);
  let out = "";
  let err = "";
  c.stdout.on("data", (d) => (out += d));
  c.stderr.on("data", (d) => { err += d; onStderr?.(d.toString()); });
  return new Promise((res) => {
    const timer = setTimeout(() => fatal(`${args.join(" ")} did not end within ${CHILD_TIMEOUT_MS / 1000} s`), CHILD_TIMEOUT_MS);
    c.on("exit", (code) => { clearTimeout(timer); res({ code, out, err, cpuS: childrenCpu() - c0 }); });
  });
}

function statFields(pid) {  // the fields of /proc/<pid>/stat after the command name: f[0] is field 3
  return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
}
const cpuOf = (pid) => { const f = statFields(pid); return (Number(f[11]) + Number(f[12])) / 100; };  // utime + stime
const childrenCpu = () => { const f = statFields("self"); return (Number(f[13]) + Number(f[14])) / 100; };  // cutime + cstime

function makeCerts() {  // as src/tls/certs.ts: a CA, a P-256 leaf for 127.0.0.1 signed by it, the CA key removed
  certDir = mkdtempSync(join(tmpdir(), "evbench-lgtls-"));
  chmodSync(certDir, 0o700);
  const f = (name) => join(certDir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  const openssl = (args) => {
    try { execFileSync("openssl", args, { stdio: "pipe", timeout: 30_000 }); } catch (e) {
      fatal(`openssl ${args[0]} failed: ${(e.stderr ?? e.message).toString().trim().split("\n").pop()}`);
    }
  };
  openssl(["req", "-x509", ...ec, "-keyout", f("ca.key"), "-out", f("ca.crt"), "-days", "2", "-subj", "/CN=evbench bench CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  openssl(["req", ...ec, "-keyout", f("leaf.key"), "-out", f("leaf.csr"), "-subj", "/CN=localhost"]);
  writeFileSync(f("leaf.ext"), "basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\n" +
    "extendedKeyUsage = serverAuth\nsubjectAltName = IP:127.0.0.1, IP:::1, DNS:localhost\n");
  openssl(["x509", "-req", "-in", f("leaf.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-set_serial", "0x1", "-days", "2",
    "-out", f("leaf.crt"), "-extfile", f("leaf.ext")]);
  rmSync(f("ca.key"));
  return { cert: f("leaf.crt"), key: f("leaf.key"), ca: f("ca.crt") };
}

/** nethttp on CPU 1; resolves once it printed READY. Its stdin stays open (EOF is its sign to exit). */
function startServer(flags) {
  const s = start("taskset", ["-c", "1", nethttp, "--port", "0", ...flags]);
  let buf = "";
  let err = "";
  const waiters = [];
  s.stderr.on("data", (d) => (err += d));
  s.stdout.on("data", (d) => {
    buf += d;
    for (let i; (i = buf.indexOf("\n")) >= 0; buf = buf.slice(i + 1)) waiters.shift()?.(buf.slice(0, i));
  });
  const line = (what) => new Promise((res) => {
    const timer = setTimeout(() => fatal(`nethttp ${flags.join(" ")}: no ${what} within 10 s ${err.trim()}`), 10_000);
    waiters.push((l) => { clearTimeout(timer); res(l); });
  });
  s.on("exit", (code) => { if (!s.stopping) fatal(`nethttp ${flags.join(" ")} exited (${code}): ${err.trim().split("\n").pop()}`); });
  // The control channel: `stats` gets one JSON line (docs/architecture.md, "Target process").
  s.stats = async () => { s.stdin.write("stats\n"); return JSON.parse(await line("stats answer")); };
  // Stopped: stdin's EOF, then SIGTERM; resolves once it exited (its port is free for the next case).
  s.stop = () => new Promise((res) => {
    s.stopping = true;
    if (s.exitCode !== null || s.signalCode !== null) return res();
    const timer = setTimeout(() => fatal("nethttp did not exit within 10 s of SIGTERM"), 10_000);
    s.on("exit", () => { clearTimeout(timer); res(); });
    s.stdin.end();
    s.kill("SIGTERM");
  });
  return line("READY").then((l) => {
    const m = /^READY (\d+)/.exec(l);
    if (!m) fatal(`nethttp ${flags.join(" ")}: expected READY, got ${l}`);
    port = Number(m[1]);
    return s;
  });
}

/** The native generator in its own process on CPU 0, measuring its own CPU time around run(). It
 *  writes "go" on stderr just before run(), which opens the server's window. */
function native(extra, mark) {
  const spec = { host: "127.0.0.1", port, connections: 16, threads: 1, pipeline: 1, rate: null, keepAlive: true, fastOpen: false,
    method: "GET", path: "/plaintext", headers: {}, bodyBytes: 0, echo: false, warmupS: 0, durationS: seconds, timeoutMs: 2000,
    cpus: [0], backend: "epoll", ...extra };
  const code = `
    const a = require(${JSON.stringify(addon)});
    const g = new a.LoadGen(${JSON.stringify(spec)});
    process.stderr.write("go\\n");
    const c0 = process.cpuUsage();
    g.run().then((r) => { const c = process.cpuUsage(c0);
      const t = r.tls ? { handshakes: r.tls.handshakes, resumed: r.tls.resumed, version: r.tls.version, alpn: r.tls.alpn } : null;
      console.log(JSON.stringify({ requests: r.completedTotal, cpuS: (c.user + c.system) / 1e6,
        errors: Object.values(r.errors).reduce((x, y) => x + y, 0) + r.failed, bytesRead: r.bytesRead, tls: t })); });`;
  return runChild("taskset", ["-c", "0", "node", "-e", code], (d) => d.includes("go\n") && mark()).then((c) => {
    if (c.code !== 0) fatal(`native generator exited ${c.code}: ${c.err.trim().split("\n").pop()}`);
    const r = JSON.parse(c.out);
    // What was spoken: TLS's ALPN when over TLS; for h2c, the bytes per answer (an HTTP/1.1 answer
    // to /plaintext is ~130 bytes of head and body, an h2 one ~35 with HPACK), the result having no h2 section.
    const perAnswer = r.requests ? r.bytesRead / r.requests : 0;
    r.proto = r.tls ? `${r.tls.alpn ?? "none"}` : perAnswer > 0 && perAnswer < 100 ? "h2c" : "http/1.1?";
    r.detail = r.tls ? `${r.tls.version} ${r.tls.handshakes} hs (${r.tls.resumed} resumed)` : `${perAnswer.toFixed(0)} B/answer`;
    return r;
  });
}

async function wrk(mark) {
  mark();
  const c = await runChild("taskset", ["-c", "0", "wrk", "-t1", "-c16", `-d${seconds}s`, url("https")]);
  const m = /(\d+) requests in/.exec(c.out);
  if (!m) fatal(`wrk: no request count in its output: ${(c.out + c.err).trim().split("\n").pop()}`);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(c.out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(c.out);
  const errors = (sock ? sock.slice(1).reduce((x, y) => x + Number(y), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
  return { requests: Number(m[1]), cpuS: c.cpuS, errors, proto: "http/1.1", detail: "no ALPN, no cert check" };
}

async function h2load(args, mark) {
  mark();
  const c = await runChild("taskset", ["-c", "0", "h2load", "-t1", ...args]);
  const m = /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(c.out);
  if (!m) fatal(`h2load ${args.join(" ")}: no requests line in its output: ${(c.out + c.err).trim().split("\n").pop()}`);
  const proto = /Application protocol: (\S+)/.exec(c.out)?.[1] ?? "none";
  return { requests: Number(m[4]), cpuS: c.cpuS, errors: Number(m[5]) + Number(m[6]) + Number(m[7]), proto, detail: "no cert check" };
}

/** One generator's run with the server's CPU share and counted handshakes over its window. */
async function measure(server, name, gen) {
  const s0 = await server.stats();
  let cpu0 = 0;
  let t0 = 0;
  const mark = () => { cpu0 = cpuOf(server.pid); t0 = performance.now(); };
  mark();  // the native generator marks again when its run() starts
  const r = await gen(mark);
  const serverCpuPct = (100 * (cpuOf(server.pid) - cpu0)) / ((performance.now() - t0) / 1000);
  const s1 = await server.stats();
  const hs = (k) => (s1.extra.tlsHandshakes?.[k] ?? 0) - (s0.extra.tlsHandshakes?.[k] ?? 0);
  return { name, ...r, serverCpuPct, serverHs: s1.extra.tls ? `${hs("full")}/${hs("resumed")}` : "-" };
}

// Case 4's h2load: `-c N -n N` makes N clients of one request each, every client a new connection
// and a full handshake (h2load keeps no session cache, so none is resumed: the server's count says
// so), closed after its answer. Without -r h2load would open all N at once; with `-r R
// --rate-period 100ms` it opens R every 100 ms, so R*10 per second is set to the handshake rate
// the native generator reached in the same repetition: both then drive the server at the same
// connection rate, with about as many connections in flight. It is open loop (native is closed
// loop, 16 connections): comparable per handshake, the figure being client CPU per request. h2load
// does not check the certificate (native does, against the run's CA), so the ratio is conservative.
function h2loadHandshakes(nativeRun) {
  const rate = Math.max(10, Math.round(nativeRun.requests / seconds));
  const n = rate * seconds;
  return (mark) => h2load(["--h1", "-c", String(n), "-n", String(n), "-r", String(Math.max(1, Math.round(rate / 10))), "--rate-period", "100ms",
    url("https")], mark);
}

function otherGen(name, nativeRun) {
  if (name === "https") return wrk;
  if (name === "h2") return (mark) => h2load(["-c16", "-m100", "-D", String(seconds), url("https")], mark);
  if (name === "h2c") return (mark) => h2load(["-c16", "-m100", "-D", String(seconds), url("http")], mark);
  return h2loadHandshakes(nativeRun);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const fmt = (v, w, d = 0) => (typeof v === "number" ? v.toFixed(d) : String(v)).padStart(w);

function printRow(rep, r) {
  console.log([fmt(rep, 3), r.name.padEnd(8), r.proto.padEnd(9), fmt(r.requests, 9), fmt(r.errors, 6), fmt(r.cpuS, 8, 2),
    fmt(r.requests / r.cpuS, 12), fmt(r.serverCpuPct, 7, 0), fmt(r.serverHs, 12), `  ${r.detail}`].join(" "));
}

function warnings(c, a, b) {
  for (const [x, y] of [[a, b], [b, a]]) {
    if (x.errors > 0) console.log(`  WARNING: ${x.name} had ${x.errors} errors`);
    if (x.requests < 0.1 * y.requests) console.log(`  WARNING: ${x.name}'s requests (${x.requests}) < 10 % of ${y.name}'s (${y.requests})`);
  }
  if (a.proto !== c.expect) console.log(`  WARNING: native spoke ${a.proto}, not ${c.expect}: its figure is not this case's`);
  if (b.proto !== c.expect) console.log(`  WARNING: ${b.name} spoke ${b.proto}, not ${c.expect}`);
}

async function runCase(name, certs) {
  const c = CASES[name];
  const server = await startServer(c.tls ? ["--tls-cert", certs.cert, "--tls-key", certs.key] : ["--h2c"]);
  console.log(`\ncase ${name} (${c.n}): ${c.title}; native against ${c.other}, ${seconds} s windows, ${reps} repetitions, port ${port}`);
  console.log("rep generator proto      requests errors  CPU s  req/CPU-s  srv CPU%  srv hs f/r  detail");
  const ratios = [];
  for (let i = 1; i <= reps; i++) {
    const a = await measure(server, "native", (mark) => native(c.spec(certs.ca), mark));
    printRow(i, a);
    const b = await measure(server, c.other, otherGen(name, a));
    printRow(i, b);
    warnings(c, a, b);
    ratios.push(a.requests / a.cpuS / (b.requests / b.cpuS));
  }
  await server.stop();
  const m = median(ratios);
  console.log(`  ratios per repetition: ${ratios.map((r) => r.toFixed(2)).join(", ")}`);
  console.log(`case ${name}: native / ${c.other} = median ${m.toFixed(2)}x (goal ${c.goal.toFixed(1)}x: ${m >= c.goal ? "pass" : "FAIL"})`);
}

const byNumber = Object.fromEntries(Object.entries(CASES).map(([k, v]) => [String(v.n), k]));
const picked = process.argv.slice(4).map((a) => byNumber[a] ?? a);
for (const p of picked) if (!CASES[p]) fatal(`unknown case ${p}: one of ${Object.keys(CASES).join(", ")} (or 1-5)`);
if (!(seconds > 0) || !(reps >= 1)) fatal("usage: node native/bench/loadgen-tls.mjs [seconds=5] [repetitions=3] [case...]");
const status = (() => {
  try {
    const a = execFileSync("node", ["-p", `const a = require(${JSON.stringify(addon)}); JSON.stringify([a.tlsStatus?.(), a.h2Status?.()])`]);
    return JSON.parse(a.toString());
  } catch (e) { fatal(`cannot load the native addon (${addon}): npm run build:addon (${e.message.split("\n")[0]})`); }
})();
if (!status[0] || status[0].unavailable) fatal(`the native generator has no TLS: ${status[0]?.unavailable ?? "built before TLS"}`);
if (!status[1] || status[1].unavailable) fatal(`the native generator has no HTTP/2: ${status[1]?.unavailable ?? "built before HTTP/2"}`);
console.log(`native: ${status[0].library}, ${status[1].library}; server nethttp on CPU 1, clients on CPU 0`);
const certs = makeCerts();
for (const name of picked.length ? picked : Object.keys(CASES)) await runCase(name, certs);
process.exit(0);
