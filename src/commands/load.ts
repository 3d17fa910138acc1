// `load <url>`: a load generator for people who reach for wrk, wrk2 or oha. Every flag is
// checked before the load starts; the client's own CPU is sampled so its cost per request is
// printed beside its throughput; --json / --csv / --hgrm / --histogram-log write machine-readable
// forms of the same measurement.
import { ARRIVALS, GENERATOR_NAMES, NATIVE_BACKENDS } from "../model/index.js";

import { BadInputError } from "../errors.js";
import { intervalLogText } from "../hist/log.js";
import { connectionsPerProcessLimit } from "../load/descriptors.js";
import { GENERATORS } from "../load/registry.js";
import type { Progress } from "../load/types.js";
import { RateMeter } from "../live/rate.js";
import { createLiveView, phaseElapsedS, type LiveSample, type LiveView } from "../live/view.js";
import { runLoad as measureLoad, type MeasuredLoad } from "./load-run.js";
import { checkNewFile, ensureDescriptors } from "./checks.js";
import { defineCommand, type Context, type Outcome, type Values } from "./define.js";
import { writeHgrm, writeTimelineCsv } from "./load-export.js";
import { writeOutputFile } from "../io/output-file.js";
import { intervalsOf } from "./load-intervals.js";
import { resolveCheck } from "./load-check.js";
import { probeConnect, resolveHost, UnreachableError } from "./load-preflight.js";
import { buildLoadSpec, need, type LoadRequestSpec } from "./load-request.js";
import { buildLoadSummary, type LoadSummary } from "./load-summary.js";
import { histogramText, latencyDistributionText, summaryText } from "./load-text.js";
import { choice, cpus, duration, flag, int, list, rate, repeat, size, str } from "./options.js";
import { bounds, boundsS, RANGES } from "../model/index.js";

const options = {
  connections: int({ short: "c", help: "connections", ...bounds(RANGES.connections), default: 16 }),
  threads: int({ short: "t", help: "client threads", ...bounds(RANGES.threads), default: 1 }),
  duration: duration({ short: "d", help: "measured time (with -n: the upper bound)", ...boundsS(RANGES.durationS), default: 10 }),
  requests: int({ short: "n", help: "stop after exactly this many answers (warm-up off)", min: 1, max: 1e12 }),
  warmup: duration({ help: "warm-up time, not recorded", ...boundsS(RANGES.warmupS), default: 1 }),
  rate: rate({
    short: "R",
    help: "constant total rate in req/s (20000, 20k), open loop, latency from intended send time (as wrk2)",
    ...bounds(RANGES.rateRps),
    metavar: "<req/s>",
  }),
  pipeline: int({ help: "requests in flight per connection", ...bounds(RANGES.pipeline), default: 1 }),
  active: int({
    help: "connections that send (spread evenly; the others are held open, idle); -R is spread over these",
    min: 1,
    max: 1_000_000,
  }),
  arrival: choice({
    help: "open-loop arrivals per connection (with -R): evenly spaced, or exponential gaps",
    choices: ARRIVALS,
    default: "constant",
  }),
  seed: int({ help: "seed of --arrival poisson's random gaps", min: 0, max: 2 ** 53 - 1, default: 1 }),
  "connect-rate": rate({
    help: "open connections at this rate (e.g. 20k/s), measured in the summary; default: full speed",
    min: 0.001,
    max: 1e9,
  }),
  "connections-per-process": int({
    help: "native: at most this many connections per generator process (more processes past it); default: the open-file limit's",
    min: 1,
    max: 1_000_000,
  }),
  "source-addresses": list({
    help: "local addresses the connections bind to, in turn (default: 127.0.0.1, .2, ... on loopback as the port range needs)",
    metavar: "<ip,ip>",
  }),
  method: str({ short: "m", help: "HTTP method", default: "GET" }),
  header: repeat({ short: "H", help: 'request header "Name: value" (repeatable)', metavar: "<header>" }),
  body: str({ help: "request body (text)" }),
  "body-file": str({ help: "request body from this file", metavar: "<file>" }),
  "body-size": size({ help: "request body of this many pattern bytes", ...bounds(RANGES.bodyBytes), default: 0 }),
  "no-keepalive": flag({ help: "a new connection per request" }),
  "fast-open": flag({ help: "TCP Fast Open on connect (with --no-keepalive)" }),
  timeout: duration({ help: "per-request timeout", ...boundsS(RANGES.timeoutS), default: 5 }),
  "connect-timeout": duration({ help: "connect timeout (default: --timeout)", ...boundsS(RANGES.timeoutS) }),
  cpus: cpus({ help: "pin the client to these CPUs" }),
  generator: choice({ help: "the load generator", choices: GENERATOR_NAMES, default: "native" }),
  check: str({
    help: "compare every answer with the expected one: status[=code],length[=bytes],body (values not given: from a first 2xx answer)",
    metavar: "<fields>",
  }),
  backend: choice({
    help: "the native generator's I/O: epoll, or io_uring (batched sends, multishot receive)",
    choices: NATIVE_BACKENDS,
    default: "epoll",
  }),
  sqpoll: flag({ help: "io_uring with a kernel submission-polling thread (burns a core; with --backend io_uring)" }),
  ca: str({ help: "https: trust the CAs in this PEM file (default: the system store)", metavar: "<file>" }),
  insecure: flag({ help: "https: do not check the server's certificate" }),
  h2: flag({ help: "HTTP/2: h2c with prior knowledge for http://, ALPN h2 for https:// (native)" }),
  streams: int({ help: "HTTP/2: concurrent streams per connection (with --h2; default 1)", min: 1, max: 1024 }),
  "h2-window": size({
    help: "HTTP/2: the receive window asked of the server (with --h2; 0: 64 KiB, nghttp2's)",
    min: 0,
    max: 2147483647,
    default: 0,
  }),
  "tls-resume": flag({ help: "https: resume the last TLS session on every new connection (with --no-keepalive: resumed handshakes)" }),
  "tls-early-data": flag({
    help: "https: with --tls-resume, a connection's first requests as TLS 1.3 early data where the ticket allows (native)",
  }),
  latency: flag({ help: "print the full latency distribution (as wrk2 --latency)" }),
  quiet: flag({ short: "q", help: "no live view" }),
  json: flag({ help: "the summary as one JSON document on stdout (schema/load.schema.json)" }),
  csv: str({ help: "write the per-second timeline here (CSV)", metavar: "<file>" }),
  hgrm: str({ help: "write the latency distribution here (HdrHistogram .hgrm, ms)", metavar: "<file>" }),
  "histogram-log": str({ help: "write one HdrHistogram per interval here (HdrHistogram interval log)", metavar: "<file>" }),
  "histogram-log-interval": int({ help: "seconds per interval of --histogram-log", min: 1, max: 3600, default: 1, metavar: "<s>" }),
};
type LoadValues = Values<typeof options>;

function specOf(v: LoadValues, url: string): LoadRequestSpec {
  return buildLoadSpec({
    url,
    connections: v.connections,
    threads: v.threads,
    durationS: v.duration,
    warmupS: v.warmup,
    requests: v.requests,
    rate: v.rate,
    pipeline: v.pipeline,
    method: v.method.toUpperCase(),
    headers: v.header,
    body: v.body,
    bodyFile: v["body-file"],
    bodySize: v["body-size"],
    keepAlive: !v["no-keepalive"],
    fastOpen: v["fast-open"],
    timeoutS: v.timeout,
    connectTimeoutS: v["connect-timeout"],
    cpus: v.cpus,
    generator: v.generator,
    backend: v.backend,
    sqpoll: v.sqpoll,
    tls: { caFile: v.ca, insecure: v.insecure, resume: v["tls-resume"], earlyData: v["tls-early-data"] },
    h2: { h2: v.h2, streams: v.streams, window: v["h2-window"] > 0 ? v["h2-window"] : undefined },
    check: v.check,
    scaling: {
      active: v.active,
      arrival: v.arrival,
      seed: v.seed,
      connectRate: v["connect-rate"],
      sourceAddresses: v["source-addresses"],
      connectionsPerProcess: v["connections-per-process"],
    },
  });
}

function checkOutputs(v: LoadValues): void {
  // wrk reports totals only: a per-second count would need a Lua callback on every response,
  // which costs wrk the throughput it is measuring. Refused rather than a header without rows.
  if (v.csv !== undefined && v.generator === "wrk") {
    throw new BadInputError(
      "--csv: wrk reports no per-second counts (only totals); use the native generator (drop --generator wrk) or autocannon",
    );
  }
  if (v.csv !== undefined) checkNewFile(v.csv, "--csv");
  if (v.hgrm !== undefined) checkNewFile(v.hgrm, "--hgrm");
  if (v["histogram-log"] !== undefined) checkNewFile(v["histogram-log"], "--histogram-log");
}

/** The native generator's progress carries the last second's p50 and p99 (null until a second
 *  of the window is over); the others' the window's p99 so far. */
function latencyOf(p: Progress): { p50Us?: number | null; p99Us: number | null; p99Of: string } {
  if (p.p99LastSecondUs !== undefined) return { p50Us: p.p50LastSecondUs ?? null, p99Us: p.p99LastSecondUs, p99Of: "last 1s" };
  return { p99Us: p.p99Us ?? null, p99Of: "window so far" };
}

/** The rate the live view shows. The native generator counts each whole second of the window
 *  in the counters the result's perSecond is made of, so the live figure of second k is the
 *  k-th row of --csv; elsewhere (warm-up, wrk, autocannon) a rolling rate of the last second. */
function rateOf(p: Progress, meter: RateMeter): Pick<LiveSample, "rps" | "rpsOf" | "second"> {
  const rolling = meter.add(p.elapsedS, p.requests);
  if (p.phase !== "measure" || p.second === undefined) return { rps: p.final && p.lastSecondRps != null ? p.lastSecondRps : rolling };
  if (p.second === null) return { rps: null, rpsOf: "second 1 not over", second: null };
  return { rps: p.secondRequests ?? null, rpsOf: `second ${p.second}`, second: p.second };
}

/** Progress from the generator to the live view: req/s of a second, latency of the last second. */
function liveHook(view: LiveView, url: string, spec: LoadRequestSpec): (p: Progress) => void {
  const meter = new RateMeter();
  let phase: Progress["phase"] = "warmup";
  return (p) => {
    if (p.phase !== phase) meter.reset();
    phase = p.phase;
    const totalS = spec.requests !== undefined ? null : p.phase === "warmup" ? spec.warmupS : spec.durationS;
    view.update({
      label: url,
      phase: p.phase,
      elapsedS: phaseElapsedS(p.phase, p.elapsedS, spec.warmupS),
      totalS,
      ...rateOf(p, meter),
      ...latencyOf(p),
      errors: p.errors,
      final: p.final === true,
    });
  };
}

interface Measured extends MeasuredLoad {
  interrupted: boolean;
  startedAtMs: number;
}

async function measure(spec: LoadRequestSpec, v: LoadValues, url: string, ctx: Context): Promise<Measured> {
  const gen = GENERATORS[v.generator];
  const view = createLiveView(
    { write: (s) => process.stderr.write(s), isTTY: ctx.errIsTTY, columns: process.stderr.columns ?? 80 },
    v.quiet,
  );
  let clientPid = 0;
  let startedAtMs = Date.now();
  // Ctrl-C: the client is asked to stop (SIGTERM) and still answers with what it measured; the
  // runner's AbortSignal would kill it without a result.
  const onAbort = () => clientPid > 0 && process.kill(clientPid, "SIGTERM");
  ctx.signal.addEventListener("abort", onAbort);
  try {
    const m = await measureLoad(gen, spec, {
      onClientPid: (pid) => (clientPid = pid),
      onMeasureStart: () => (startedAtMs = Date.now()),
      onProgress: liveHook(view, url, spec),
    });
    return { ...m, interrupted: ctx.signal.aborted, startedAtMs };
  } finally {
    view.done();
    ctx.signal.removeEventListener("abort", onAbort);
  }
}

/** Writes the exports; returns the lines of those that could not be written. */
function writeFiles(v: LoadValues, m: Measured, s: LoadSummary, ctx: Context): string[] {
  const failed: (string | null)[] = [];
  if (v.csv !== undefined) failed.push(writeTimelineCsv(v.csv, s, m.result.intervals));
  if (v.hgrm !== undefined) failed.push(writeHgrm(v.hgrm, m.result.latency));
  const log = v["histogram-log"];
  if (log !== undefined) {
    const { intervals, note } = intervalsOf(m.result, v["histogram-log-interval"]);
    if (note) ctx.err(`--histogram-log: ${note}`);
    failed.push(
      writeOutputFile(
        log,
        intervalLogText(intervals, m.startedAtMs, `evbench load ${s.url} (${s.generator}), latency in microseconds`),
        "--histogram-log",
      ),
    );
  }
  return failed.filter((f): f is string => f !== null);
}

/** Resolves the host (bad input when it cannot be) and connects once: the reason when refused. */
async function reachable(spec: LoadRequestSpec, url: string): Promise<string | null> {
  const address = await resolveHost(spec.host, url);
  try {
    await probeConnect(address, spec.port, spec.connectTimeoutMs ?? spec.timeoutMs);
    return null;
  } catch (e) {
    if (e instanceof UnreachableError) return e.message;
    throw e;
  }
}

/** Every check before the load, cheapest first: flags and files (exit 2), the generator, the
 *  descriptor limit, then the server itself (a refused connect ends here, exit 1). */
async function prepare(v: LoadValues, url: string, ctx: Context): Promise<LoadRequestSpec | Outcome> {
  let spec = specOf(v, url);
  checkOutputs(v);
  const gen = GENERATORS[v.generator];
  const why = await gen.unavailableReason();
  if (why) {
    ctx.err(`${gen.name} is unavailable: ${why}`);
    return { text: "", exitCode: 1 };
  }
  // Past one process's descriptors the native generator runs several processes (native-split.ts).
  const perProcess = v.generator === "native" ? Math.min(spec.connectionsPerProcess ?? Infinity, connectionsPerProcessLimit()) : Infinity;
  const raised = ensureDescriptors(Math.min(spec.connections, perProcess));
  if (raised && !v.quiet) ctx.err(raised);
  const unreachable = await reachable(spec, url);
  if (unreachable) {
    ctx.err(`evbench: load: ${unreachable}`);
    return { text: "", exitCode: 1 };
  }
  if (v.check !== undefined) {
    need(v.generator, "check", "--check");
    spec = { ...spec, ...(await resolveCheck(v.check, spec)) };
  }
  return spec;
}

async function runLoad(v: LoadValues, positionals: string[], _extra: string[], ctx: Context): Promise<Outcome> {
  const url = positionals[0]!;
  const spec = await prepare(v, url, ctx);
  if ("exitCode" in spec) return spec;
  const m = await measure(spec, v, url, ctx);
  const summary = buildLoadSummary({ url, spec, result: m.result, client: m.client, verdict: m.verdict, verdictNote: null });
  const unwritten = writeFiles(v, m, summary, ctx);
  for (const line of unwritten) ctx.err(`evbench: ${line}; the run was measured: its summary follows, exit 1`);
  if (m.interrupted) ctx.err("interrupted: the summary covers the time until Ctrl-C");
  const exitCode = m.interrupted || unwritten.length > 0 || summary.verdict?.verdict === "invalid" ? 1 : 0;
  if (v.json) return { text: JSON.stringify(summary), exitCode };
  const parts = [summaryText(summary), histogramText(m.result.latency)];
  if (v.latency) parts.push(latencyDistributionText(summary, m.result.latency));
  return { text: parts.join("\n\n"), exitCode };
}

export const loadSpec = defineCommand({
  name: "load",
  summary: "a load generator as a standalone tool, with wrk's, wrk2's and oha's flags",
  positionals: [{ name: "url", help: "http://host:port/path" }],
  interruptible: true,
  notes:
    "From wrk/wrk2: -c -t -d --timeout --latency -H as there, -R as wrk2's. From oha: -n, -m, -H as there; oha's -z is our -d, its -q our -R (our -q is --quiet), its -d our --body, its -D our --body-file, its -j our --json.\nDurations take units (500ms, 10s, 1m); a bare number is seconds, as in wrk.\nCtrl-C stops the load and prints the summary of what was measured.\n--json prints only the summary on stdout (npm run -s load, or node dist/cli.js load, for clean stdout).",
  options,
  run: runLoad,
});
