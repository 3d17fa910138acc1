// Every metric evbench reports, once: its key (the field of a summary row), how it is labelled,
// its unit, which way is better, how one run's value is read, whether a scenario may set a ratio
// goal on it or a source claim it, and how it is measured, in words. The summary rows, ratios,
// compare, claims, the report and the terminal all read this table: adding a metric is one entry
// here (and, for a new measurement, its field in the run).
import type { RunOk } from "./run.js";
import type { Unit } from "./units.js";

export interface ClaimSpec {
  /** The field of a scenario's claims row (src/model/scenario.ts ClaimRow). */
  key: "rps" | "rssBytes" | "gcPerSec" | "allocBytesPerReq" | "latencyMeanMs";
  /** Claimed value x scale = the value in this metric's unit (ms -> µs: 1000). */
  scale: number;
  label: string;
}

export interface MetricSpec {
  label: string;
  /** Column header in tables (short). */
  column: string;
  unit: Unit;
  better: "higher" | "lower";
  of: (r: RunOk) => number | null;
  /** A column of the summary table and a field of every summary row. */
  summary: boolean;
  /** Compared between results by `compare`. */
  compare: boolean;
  /** May be the metric of a scenario's ratio goal. */
  ratioGoal: boolean;
  claim: ClaimSpec | null;
  /** How it is measured, written into every result's `definitions`. */
  definition: string;
}

const LATENCY = "of the per-request latency (see definitions.latencyUs)";
/** A run with no answer measured no latency: its histogram's zeros are not a fast server. */
const latencyOf = (r: { requests: number }, v: number): number | null => (r.requests > 0 ? v : null);

const SPECS = {
  rps: {
    label: "req/s",
    column: "req/s",
    unit: "req/s",
    better: "higher",
    of: (r) => r.rps,
    summary: true,
    compare: true,
    ratioGoal: true,
    claim: { key: "rps", scale: 1, label: "req/s" },
    definition: "requests completed by the client inside the measurement window / window length; warm-up excluded",
  },
  p50Us: {
    label: "latency p50",
    column: "p50",
    unit: "us",
    better: "lower",
    of: (r) => latencyOf(r, r.latencyUs.p50),
    summary: true,
    compare: true,
    ratioGoal: true,
    claim: null,
    definition: `the median ${LATENCY}`,
  },
  p99Us: {
    label: "latency p99",
    column: "p99",
    unit: "us",
    better: "lower",
    of: (r) => latencyOf(r, r.latencyUs.p99),
    summary: true,
    compare: true,
    ratioGoal: true,
    claim: null,
    definition: `the 99th percentile ${LATENCY}`,
  },
  p999Us: {
    label: "latency p99.9",
    column: "p99.9",
    unit: "us",
    better: "lower",
    of: (r) => latencyOf(r, r.latencyUs.p999),
    summary: true,
    compare: true,
    ratioGoal: false,
    claim: null,
    definition: `the 99.9th percentile ${LATENCY}`,
  },
  meanUs: {
    label: "mean latency",
    column: "mean",
    unit: "us",
    better: "lower",
    of: (r) => latencyOf(r, r.latencyUs.mean),
    summary: false,
    compare: false,
    ratioGoal: false,
    claim: { key: "latencyMeanMs", scale: 1000, label: "mean latency" },
    definition: `the mean ${LATENCY}`,
  },
  rssPeakBytes: {
    label: "RSS peak",
    column: "RSS peak",
    unit: "bytes",
    better: "lower",
    of: (r) => r.server.rssPeakBytes,
    summary: true,
    compare: true,
    ratioGoal: true,
    claim: { key: "rssBytes", scale: 1, label: "memory" },
    definition:
      "memory: the resident set size (RSS) of the target's process group from /proc/<pid>/statm, sampled at 10 Hz over the measurement window; the peak sample",
  },
  rssMeanBytes: {
    label: "RSS mean",
    column: "RSS mean",
    unit: "bytes",
    better: "lower",
    of: (r) => r.server.rssMeanBytes,
    summary: true,
    compare: false,
    ratioGoal: false,
    claim: null,
    definition: "the mean of the same RSS samples",
  },
  rssSwingBytes: {
    label: "RSS swing",
    column: "RSS swing",
    unit: "bytes",
    better: "lower",
    of: (r) => r.server.rssSwingBytes ?? null,
    summary: true,
    compare: true,
    ratioGoal: true,
    claim: null,
    definition: "the RSS swing: max - min of the same 10 Hz RSS samples over the window",
  },
  rssStdBytes: {
    label: "RSS sd",
    column: "RSS sd",
    unit: "bytes",
    better: "lower",
    of: (r) => r.server.rssStdBytes ?? null,
    summary: false,
    compare: false,
    ratioGoal: false,
    claim: null,
    definition: "the standard deviation of the same 10 Hz RSS samples over the window",
  },
  gcPerSec: {
    label: "GC/s",
    column: "GC/s",
    unit: "1/s",
    better: "lower",
    of: (r) => r.server.gcPerSec,
    summary: true,
    compare: true,
    ratioGoal: false,
    claim: { key: "gcPerSec", scale: 1, label: "GC/s" },
    definition:
      "GC cycles completed in the window (the target's control channel: Go runtime/metrics /gc/cycles/total; Node: every V8 GC, scavenges included) / window length",
  },
  gcPer10kReq: {
    label: "GC per 10k requests",
    column: "GC/10k req",
    unit: "count",
    better: "lower",
    of: (r) => (r.server.gcPerSec !== null && r.rps > 0 ? (r.server.gcPerSec / r.rps) * 10_000 : null),
    summary: false,
    compare: false,
    ratioGoal: true,
    claim: null,
    definition:
      "GC cycles per 10,000 requests (gcPerSec / rps x 10,000): the server's collections per unit of work, which two windows that got different shares of the CPU still agree on",
  },
  allocBytesPerReq: {
    label: "alloc/req",
    column: "alloc/req",
    unit: "B/req",
    better: "lower",
    of: (r) => r.server.allocBytesPerReq,
    summary: true,
    compare: true,
    ratioGoal: false,
    claim: { key: "allocBytesPerReq", scale: 1, label: "alloc/req" },
    definition:
      "bytes allocated on the managed heap during the window / requests in the window (Go: /gc/heap/allocs:bytes; Node: v8 heap growth plus bytes freed by GCs)",
  },
  runQueueP50Us: {
    label: "run-queue p50",
    column: "runq p50",
    unit: "us",
    better: "lower",
    of: (r) => (r.kernel?.status === "measured" ? r.kernel.runQueue.p50Us : null),
    summary: true,
    compare: true,
    ratioGoal: false,
    claim: null,
    definition:
      "the median run-queue latency of the target's threads over the window: from a wake-up (or a preemption) to running again, by eBPF on the sched_wakeup, sched_wakeup_new and sched_switch tracepoints (src/kernel/); absent where eBPF is unavailable",
  },
  runQueueP99Us: {
    label: "run-queue p99",
    column: "runq p99",
    unit: "us",
    better: "lower",
    of: (r) => (r.kernel?.status === "measured" ? r.kernel.runQueue.p99Us : null),
    summary: true,
    compare: true,
    ratioGoal: false,
    claim: null,
    definition: "the 99th percentile of the same run-queue latencies",
  },
  serverCpuPct: {
    label: "server CPU",
    column: "srv CPU",
    unit: "%",
    better: "lower",
    of: (r) => r.server.cpuPct,
    summary: true,
    compare: false,
    ratioGoal: false,
    claim: null,
    definition:
      "user + system CPU time of the target's process group over the window (from /proc/<pid>/stat) / window length x 100 (100 = one CPU)",
  },
  serverReqPerCpuSec: {
    label: "req/server-CPU-s",
    column: "req/srv-CPU-s",
    unit: "req/CPU-s",
    better: "higher",
    of: (r) => r.server.reqPerCpuSec,
    summary: true,
    compare: true,
    ratioGoal: true,
    claim: null,
    definition: "rps / (server CPU % / 100): requests per server CPU-second, comparable even when the client is the limit",
  },
  clientCpuPct: {
    label: "client CPU",
    column: "cli CPU",
    unit: "%",
    better: "lower",
    of: (r) => r.client.cpuPct,
    summary: true,
    compare: false,
    ratioGoal: false,
    claim: null,
    definition: "CPU time of the load generator's process group over the window / window length x 100",
  },
  clientReqPerCpuSec: {
    label: "req/client-CPU-s",
    column: "req/cli-CPU-s",
    unit: "req/CPU-s",
    better: "higher",
    of: (r) => r.client.reqPerCpuSec,
    summary: true,
    compare: true,
    ratioGoal: true,
    claim: null,
    definition: "rps / (client CPU % / 100): requests per client CPU-second, the generator's own efficiency",
  },
  // --- connection scaling (issue 22): read from a level's run (RunOk.connections, targetExtra); null elsewhere ---
  userBytesPerConn: {
    label: "user memory per connection",
    column: "user B/conn",
    unit: "bytes",
    better: "lower",
    of: (r) => r.connections?.userBytesPerConn ?? null,
    summary: false,
    compare: false,
    ratioGoal: false,
    claim: null,
    definition:
      "user-space memory per connection: (the target's RSS when the window opened, N connections held) - (its RSS before the ramp, after start and verification), / N",
  },
  kernelBytesPerConn: {
    label: "kernel memory per connection",
    column: "kernel B/conn",
    unit: "bytes",
    better: "lower",
    of: (r) => r.connections?.kernelBytesPerConn ?? null,
    summary: false,
    compare: false,
    ratioGoal: false,
    claim: null,
    definition:
      "kernel memory per connection: the growth of the kernel memory charged to the target's memory cgroup (v1 memory.kmem.usage_in_bytes, v2 memory.stat kernel: socket structures, slab) from before the ramp to the window's start, / N",
  },
  userBytesHeld: {
    label: "user memory held",
    column: "user held",
    unit: "bytes",
    better: "lower",
    of: (r) => (r.connections ? r.connections.heldRssBytes - r.connections.idleRssBytes : null),
    summary: false,
    compare: false,
    ratioGoal: false,
    claim: null,
    definition:
      "the target's RSS growth from before the ramp to the window's start (N connections held): the cost model fits it against N, its slope the user-space bytes per connection, its intercept the fixed part",
  },
  kernelBytesHeld: {
    label: "kernel memory held",
    column: "kernel held",
    unit: "bytes",
    better: "lower",
    of: (r) => (r.connections?.kernelBytesPerConn == null ? null : r.connections.kernelBytesPerConn * r.connections.connections),
    summary: false,
    compare: false,
    ratioGoal: false,
    claim: null,
    definition:
      "the growth of the target cgroup's kernel memory from before the ramp to the window's start: the cost model fits it against N",
  },
  cpuUsPerReq: {
    label: "server CPU per request",
    column: "CPU/req",
    unit: "us",
    better: "lower",
    of: (r) => (r.server.reqPerCpuSec ? 1e6 / r.server.reqPerCpuSec : null),
    summary: false,
    compare: false,
    ratioGoal: false,
    claim: null,
    definition: "the target's CPU time per request over the window: 1 / req per server CPU-second, in microseconds",
  },
  gcCpuPct: {
    label: "GC CPU share",
    column: "GC CPU",
    unit: "%",
    better: "lower",
    of: (r) => gcCpuPct(r),
    summary: false,
    compare: false,
    ratioGoal: false,
    claim: null,
    definition:
      "the GC's CPU time over the window (Go: runtime/metrics /cpu/classes/gc/total:cpu-seconds, the control channel's extra.gcCpuSeconds) / the target's CPU time over the window x 100",
  },
  goroutines: {
    label: "goroutines",
    column: "goroutines",
    unit: "count",
    better: "lower",
    of: (r) => numberOr(r.targetExtra?.atWindowEnd.goroutines),
    summary: false,
    compare: false,
    ratioGoal: false,
    claim: null,
    definition: "the Go runtime's goroutines at the window's end (the control channel's extra.goroutines; Go targets only)",
  },
  acceptPerSec: {
    label: "accept rate in the ramp",
    column: "accepts/s",
    unit: "1/s",
    better: "higher",
    of: (r) => r.connections?.acceptPerSec ?? null,
    summary: false,
    compare: false,
    ratioGoal: false,
    claim: null,
    definition:
      "N / the seconds from the target's first accepted connection to its N-th during the ramp (its descriptors sampled every 50 ms)",
  },
  listenOverflows: {
    label: "listen overflows",
    column: "ListenOverflows",
    unit: "count",
    better: "lower",
    of: (r) => r.connections?.listenOverflows ?? null,
    summary: false,
    compare: false,
    ratioGoal: false,
    claim: null,
    definition: "/proc/net/netstat TcpExt ListenOverflows over the ramp, hold and window (accept queue full; machine-wide)",
  },
  listenDrops: {
    label: "listen drops",
    column: "ListenDrops",
    unit: "count",
    better: "lower",
    of: (r) => r.connections?.listenDrops ?? null,
    summary: false,
    compare: false,
    ratioGoal: false,
    claim: null,
    definition: "/proc/net/netstat TcpExt ListenDrops over the ramp, hold and window (SYNs dropped at the listener; machine-wide)",
  },
  // --- end connection scaling ---
} as const satisfies Record<string, MetricSpec>;

/** The GC's share of the target's CPU over the window, from the control channel's cumulative gcCpuSeconds. */
function gcCpuPct(r: RunOk): number | null {
  const gc = (numberOr(r.targetExtra?.atWindowEnd.gcCpuSeconds) ?? NaN) - (numberOr(r.targetExtra?.atWindowStart.gcCpuSeconds) ?? NaN);
  const cpuS = (r.server.cpuPct / 100) * r.durationS;
  return Number.isFinite(gc) && cpuS > 0 ? (100 * gc) / cpuS : null;
}

function numberOr(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export type MetricKey = keyof typeof SPECS;
type KeysWhere<F extends "summary" | "ratioGoal"> = { [K in MetricKey]: (typeof SPECS)[K][F] extends true ? K : never }[MetricKey];
/** The metrics every summary row carries. */
export type SummaryMetricKey = KeysWhere<"summary">;
export type RatioGoalMetricKey = KeysWhere<"ratioGoal">;

export interface Metric extends MetricSpec {
  key: MetricKey;
}

/** In display order. */
export const METRICS: readonly Metric[] = Object.entries(SPECS).map(([key, spec]) => ({ key: key as MetricKey, ...spec }));

export function metric(key: string): Metric | undefined {
  return METRICS.find((m) => m.key === key);
}

function keysWhere<K extends MetricKey>(flag: (m: Metric) => boolean): [K, ...K[]] {
  const keys = METRICS.filter(flag).map((m) => m.key as K);
  if (keys.length === 0) throw new RangeError("the metric registry has no metric with this flag");
  return keys as [K, ...K[]];
}

export const SUMMARY_METRIC_KEYS = keysWhere<SummaryMetricKey>((m) => m.summary);
export const RATIO_GOAL_METRIC_KEYS = keysWhere<RatioGoalMetricKey>((m) => m.ratioGoal);
export const SUMMARY_METRICS: readonly Metric[] = METRICS.filter((m) => m.summary);
export const COMPARE_METRICS: readonly Metric[] = METRICS.filter((m) => m.compare);
export const CLAIM_METRICS: ReadonlyArray<Metric & { claim: ClaimSpec }> = METRICS.filter(
  (m): m is Metric & { claim: ClaimSpec } => m.claim !== null,
);
