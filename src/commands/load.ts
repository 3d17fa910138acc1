// `load <url>`: a load generator for people who reach for wrk, wrk2 or oha. Every flag is
// checked before the load starts; the client's own CPU is sampled so its cost per request is
// printed beside its throughput; --json / --csv / --hgrm / --histogram-log write machine-readable
// forms of the same measurement.
import { writeFileSync } from "node:fs";

import { intervalLogText } from "../hist/log.js";
import { connectionsPerProcessLimit } from "../load/descriptors.js";
import { GENERATORS } from "../load/registry.js";
import type { Progress } from "../load/types.js";
import { RateMeter } from "../live/rate.js";
import { createLiveView, type LiveView } from "../live/view.js";
import { runLoad as measureLoad, type MeasuredLoad } from "../load/run-load.js";
import { checkOutputFile, ensureDescriptors } from "./checks.js";
import { defineCommand, type Context, type Outcome, type Values } from "./define.js";
import { writeHgrm, writeTimelineCsv } from "./load-export.js";
import { intervalsOf } from "./load-intervals.js";
import { resolveCheck } from "./load-check.js";
import { buildLoadSpec, need, type LoadRequestSpec } from "./load-request.js";
import { buildLoadSummary, type LoadSummary } from "./load-summary.js";
import { histogramText, latencyDistributionText, summaryText } from "./load-text.js";
import { choice, cpus, duration, flag, int, list, rate, repeat, size, str } from "./options.js";

const options = {
  connections: int({ short: "c", help: "connections", min: 1, max: 1_000_000, default: 16 }),
  threads: int({ short: "t", help: "client threads", min: 1, max: 1024, default: 1 }),
  duration: duration({ short: "d", help: "measured time (with -n: the upper bound)", minS: 0.1, maxS: 86400, default: 10 }),
  requests: int({ short: "n", help: "stop after exactly this many answers (warm-up off)", min: 1, max: 1e12 }),
  warmup: duration({ help: "warm-up time, not recorded", minS: 0, maxS: 3600, default: 1 }),
  rate: rate({ short: "R", help: "constant total rate in req/s (20000, 20k), open loop, latency from intended send time (as wrk2)", min: 0.001, max: 1e9, metavar: "<req/s>" }),
  pipeline: int({ help: "requests in flight per connection", min: 1, max: 1024, default: 1 }),
  active: int({ help: "connections that send (spread evenly; the others are held open, idle); -R is spread over these", min: 1, max: 1_000_000 }),
  arrival: choice({ help: "open-loop arrivals per connection (with -R): evenly spaced, or exponential gaps", choices: ["constant", "poisson"], default: "constant" }),
  seed: int({ help: "seed of --arrival poisson's random gaps", min: 0, max: 2 ** 53 - 1, default: 1 }),
  "connect-rate": rate({ help: "open connections at this rate (e.g. 20k/s), measured in the summary; default: full speed", min: 0.001, max: 1e9 }),
  "connections-per-process": int({ help: "native: at most this many connections per generator process (more processes past it); default: the open-file limit's", min: 1, max: 1_000_000 }),
  "source-addresses": list({ help: "local addresses the connections bind to, in turn (default: 127.0.0.1, .2, ... on loopback as the port range needs)", metavar: "<ip,ip>" }),
  method: str({ short: "m", help: "HTTP method", default: "GET" }),
  header: repeat({ short: "H", help: 'request header "Name: value" (repeatable)', metavar: "<header>" }),
  body: str({ help: "request body (text)" }),
  "body-file": str({ help: "request body from this file", metavar: "<file>" }),
  "body-size": size({ help: "request body of this many pattern bytes", min: 0, max: 64 * 1024 * 1024, default: 0 }),
  "no-keepalive": flag({ help: "a new connection per request" }),
  "fast-open": flag({ help: "TCP Fast Open on connect (with --no-keepalive)" }),
  timeout: duration({ help: "per-request timeout", minS: 0.001, maxS: 600, default: 5 }),
  "connect-timeout": duration({ help: "connect timeout (default: --timeout)", minS: 0.001, maxS: 600 }),
  cpus: cpus({ help: "pin the client to these CPUs" }),
  generator: choice({ help: "the load generator", choices: ["native", "autocannon", "wrk"], default: "native" }),
  check: str({ help: "compare every answer with the expected one: status[=code],length[=bytes],body (values not given: from a first 2xx answer)", metavar: "<fields>" }),
  backend: choice({ help: "the native generator's I/O: epoll, or io_uring (batched sends, multishot receive)", choices: ["epoll", "io_uring"], default: "epoll" }),
  sqpoll: flag({ help: "io_uring with a kernel submission-polling thread (burns a core; with --backend io_uring)" }),
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
    scaling: { active: v.active, arrival: v.arrival, seed: v.seed, connectRate: v["connect-rate"], sourceAddresses: v["source-addresses"], connectionsPerProcess: v["connections-per-process"] },
  });
}

function checkOutputs(v: LoadValues): void {
  if (v.csv !== undefined) checkOutputFile(v.csv, "--csv");
  if (v.hgrm !== undefined) checkOutputFile(v.hgrm, "--hgrm");
  if (v["histogram-log"] !== undefined) checkOutputFile(v["histogram-log"], "--histogram-log");
}

/** The native generator's progress carries the last second's p50 and p99 (null until a second
 *  of the window is over); the others' the window's p99 so far. */
function latencyOf(p: Progress): { p50Us?: number | null; p99Us: number | null; p99Of: string } {
  if (p.p99LastSecondUs !== undefined) return { p50Us: p.p50LastSecondUs ?? null, p99Us: p.p99LastSecondUs, p99Of: "last 1s" };
  return { p99Us: p.p99Us ?? null, p99Of: "window so far" };
}

/** Progress from the generator to the live view: req/s over the last second, latency of the last second. */
function liveHook(view: LiveView, url: string, spec: LoadRequestSpec): (p: Progress) => void {
  const meter = new RateMeter();
  let phase: Progress["phase"] = "warmup";
  return (p) => {
    if (p.phase !== phase) meter.reset();
    phase = p.phase;
    const rps = meter.add(p.elapsedS, p.requests);
    const totalS = spec.requests !== undefined ? null : p.phase === "warmup" ? spec.warmupS : spec.durationS;
    view.update({ label: url, phase: p.phase, elapsedS: p.elapsedS, totalS, rps, ...latencyOf(p), errors: p.errors });
  };
}

interface Measured extends MeasuredLoad {
  interrupted: boolean;
  startedAtMs: number;
}

async function measure(spec: LoadRequestSpec, v: LoadValues, url: string, ctx: Context): Promise<Measured> {
  const gen = GENERATORS[v.generator];
  const view = createLiveView({ write: (s) => process.stderr.write(s), isTTY: ctx.errIsTTY, columns: process.stderr.columns ?? 80 }, v.quiet);
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

function writeFiles(v: LoadValues, m: Measured, s: LoadSummary, ctx: Context): void {
  if (v.csv !== undefined) writeTimelineCsv(v.csv, s, m.result.intervals);
  if (v.hgrm !== undefined) writeHgrm(v.hgrm, m.result.latency);
  const log = v["histogram-log"];
  if (log !== undefined) {
    const { intervals, note } = intervalsOf(m.result, v["histogram-log-interval"]);
    if (note) ctx.err(`--histogram-log: ${note}`);
    writeFileSync(log, intervalLogText(intervals, m.startedAtMs, `evbench load ${s.url} (${s.generator}), latency in microseconds`));
  }
}

async function runLoad(v: LoadValues, positionals: string[], _extra: string[], ctx: Context): Promise<Outcome> {
  const url = positionals[0]!;
  let spec = specOf(v, url);
  checkOutputs(v);
  if (v.check !== undefined) {
    need(v.generator, "check", "--check");
    spec = { ...spec, ...(await resolveCheck(v.check, spec)) };
  }
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
  const m = await measure(spec, v, url, ctx);
  const summary = buildLoadSummary({ url, spec, result: m.result, client: m.client, verdict: m.verdict, verdictNote: null });
  writeFiles(v, m, summary, ctx);
  if (m.interrupted) ctx.err("interrupted: the summary covers the time until Ctrl-C");
  const exitCode = m.interrupted || summary.verdict?.verdict === "invalid" ? 1 : 0;
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
    "From wrk/wrk2: -c -t -d --timeout --latency -H as there, -R as wrk2's. From oha: -n, -z is -d, -q is -R, -m, -H, -d is --body, -D is --body-file, -j is --json.\nDurations take units (500ms, 10s, 1m); a bare number is seconds, as in wrk.\nCtrl-C stops the load and prints the summary of what was measured.\n--json prints only the summary on stdout (npm run -s load, or node dist/cli.js load, for clean stdout).",
  options,
  run: runLoad,
});
