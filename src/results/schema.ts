// The result file, version 1. Parsed with zod when read back (compare, report), built by the
// runner when written. Extend freely; rename or remove a field only with a new schema version.
import { z } from "zod";

export const RESULT_SCHEMA = "evbench/result@1";

const num = z.number().finite();
const nonneg = num.nonnegative();

export const LatencySummary = z.object({
  p50: nonneg,
  p90: nonneg,
  p99: nonneg,
  p999: nonneg,
  max: nonneg,
  mean: nonneg,
});
export type LatencySummary = z.infer<typeof LatencySummary>;

export const LoadSettings = z.object({
  generator: z.enum(["native", "autocannon", "wrk"]),
  connections: z.number().int().positive(),
  threads: z.number().int().positive(),
  pipeline: z.number().int().positive(),
  rate: z.number().positive().nullable(),
  keepAlive: z.boolean(),
  fastOpen: z.boolean(),
  method: z.string(),
  path: z.string(),
  bodyBytes: z.number().int().nonnegative(),
  echo: z.boolean(),
  warmupS: nonneg,
  durationS: z.number().positive(),
});
export type LoadSettings = z.infer<typeof LoadSettings>;

export const ErrorCountsSchema = z.object({
  connect: z.number().int().nonnegative(),
  reset: z.number().int().nonnegative(),
  timeout: z.number().int().nonnegative(),
  badResponse: z.number().int().nonnegative(),
  status: z.number().int().nonnegative(),
});

export const ServerMetrics = z.object({
  /** Resident set size of the target's process tree, from /proc, over the measurement window. */
  rssPeakBytes: nonneg,
  rssMeanBytes: nonneg,
  /** CPU time of the target's processes over the window / window length, in % of one CPU. */
  cpuPct: nonneg,
  /** rps / (cpuPct / 100): requests per server CPU-second. */
  reqPerCpuSec: nonneg.nullable(),
  /** GC cycles completed in the window, from the target's control channel. */
  gcCycles: nonneg.nullable(),
  gcPerSec: nonneg.nullable(),
  gcPauseMs: nonneg.nullable(),
  allocBytesPerReq: nonneg.nullable(),
  allocObjectsPerReq: nonneg.nullable(),
  /** Requests the target itself counted in the window (cross-check of the client's count). */
  requestsCounted: nonneg.nullable(),
  cpus: z.array(z.number().int().nonnegative()).nullable(),
});
export type ServerMetrics = z.infer<typeof ServerMetrics>;

export const ClientMetrics = z.object({
  cpuPct: nonneg,
  reqPerCpuSec: nonneg.nullable(),
  /** The client's CPU was saturated (>= 95 % of the CPUs it may use): the number describes the client. */
  clientBound: z.boolean(),
  cpus: z.array(z.number().int().nonnegative()).nullable(),
});
export type ClientMetrics = z.infer<typeof ClientMetrics>;

const RunBase = z.object({
  target: z.string(),
  variant: z.string(),
  rep: z.number().int().nonnegative(),
  startedAt: z.string(),
  load: LoadSettings,
});

export const RunOk = RunBase.extend({
  status: z.literal("ok"),
  requests: z.number().int().nonnegative(),
  durationS: z.number().positive(),
  rps: nonneg,
  latencyUs: LatencySummary,
  /** Latency in microseconds, HdrHistogram compressed encoding (base64). */
  latencyHdr: z.string(),
  errors: ErrorCountsSchema,
  statusClasses: z.record(z.string(), z.number().int().nonnegative()),
  perSecond: z.array(nonneg),
  server: ServerMetrics,
  client: ClientMetrics,
});
export type RunOk = z.infer<typeof RunOk>;

export const RunFailed = RunBase.extend({
  status: z.literal("failed"),
  failure: z.string(),
});
export type RunFailed = z.infer<typeof RunFailed>;

/** A row that cannot run this scenario by design (a mode or request the target does not answer). */
export const RunSkipped = RunBase.extend({
  status: z.literal("skipped"),
  reason: z.string(),
});
export type RunSkipped = z.infer<typeof RunSkipped>;

export const Run = z.discriminatedUnion("status", [RunOk, RunFailed, RunSkipped]);
export type Run = z.infer<typeof Run>;

/** Median with a 95 % interval over repetitions (distribution-free, from order statistics). */
export const Interval = z.object({ median: num, lo: num, hi: num, n: z.number().int().nonnegative() });
export type Interval = z.infer<typeof Interval>;

export const SummaryRow = z.object({
  target: z.string(),
  variant: z.string(),
  okRuns: z.number().int().nonnegative(),
  failedRuns: z.number().int().nonnegative(),
  skippedRuns: z.number().int().nonnegative().default(0),
  rps: Interval.nullable(),
  p50Us: Interval.nullable(),
  p99Us: Interval.nullable(),
  p999Us: Interval.nullable(),
  rssPeakBytes: Interval.nullable(),
  rssMeanBytes: Interval.nullable(),
  gcPerSec: Interval.nullable(),
  allocBytesPerReq: Interval.nullable(),
  serverCpuPct: Interval.nullable(),
  serverReqPerCpuSec: Interval.nullable(),
  clientCpuPct: Interval.nullable(),
  clientReqPerCpuSec: Interval.nullable(),
  clientBoundRuns: z.number().int().nonnegative(),
});
export type SummaryRow = z.infer<typeof SummaryRow>;

export const Environment = z.object({
  hardwareId: z.string(),
  hostname: z.string(),
  cpuModel: z.string(),
  cores: z.number().int().positive(),
  memBytes: nonneg,
  kernel: z.string(),
  os: z.string(),
  arch: z.string(),
  governor: z.string().nullable(),
  sysctl: z.record(z.string(), z.string()),
  limits: z.record(z.string(), z.string()),
  node: z.string(),
  go: z.string().nullable(),
  /** Runtime and library versions each target reported on its control channel. */
  targets: z.record(z.string(), z.record(z.string(), z.string())),
  tools: z.record(z.string(), z.string()),
});
export type Environment = z.infer<typeof Environment>;

export const RatioResult = z.object({
  of: z.string(),
  to: z.string(),
  metric: z.string(),
  atLeast: z.number().nullable(),
  atMost: z.number().nullable(),
  why: z.string().nullable(),
  ratio: Interval.nullable(),
  perRep: z.array(num),
  verdict: z.enum(["pass", "fail", "no-goal", "no-data"]),
  clientBound: z.number().int().nonnegative(),
});
export type RatioResult = z.infer<typeof RatioResult>;

// ---- capacity sweeps (issue 15, written by src/sweep/): begin ----
/** One constant-rate step of a sweep: what was offered, what came back, and how it was judged. */
export const SweepStep = z.object({
  index: z.number().int().nonnegative(),
  phase: z.enum(["ascent", "descent", "bisect"]),
  offeredRps: z.number().positive(),
  achievedRps: nonneg,
  requests: z.number().int().nonnegative(),
  durationS: z.number().positive(),
  latencyUs: LatencySummary,
  /** Latency in microseconds (CO-corrected: from each request's intended send time), HdrHistogram compressed encoding. */
  latencyHdr: z.string(),
  errors: ErrorCountsSchema,
  statusClasses: z.record(z.string(), z.number().int().nonnegative()),
  /** (errors + non-2xx) / (answers + failed requests). */
  errorShare: nonneg,
  /** null when the harness did not start the server (a URL). */
  serverCpuPct: nonneg.nullable(),
  clientCpuPct: nonneg,
  /** Share of the window some task waited for a CPU (Linux PSI); null where unknown. High: a contended machine. */
  cpuPressurePct: nonneg.nullable().default(null),
  clientBound: z.boolean(),
  /** Achieved below the sweep's share (95 %) of offered. */
  saturated: z.boolean(),
  /** Per SLO label ("p99<=10ms"): the step met it (latency, not saturated, errors under the limit). */
  meets: z.record(z.string(), z.boolean()),
});
export type SweepStep = z.infer<typeof SweepStep>;

export const KneeBound = z.enum(["exact", "atLeast", "none"]);
export const SweepRepKnee = z.object({ slo: z.string(), rps: nonneg.nullable(), bound: KneeBound, firstFailRps: nonneg.nullable() });
export const SweepRep = z.object({
  rep: z.number().int().nonnegative(),
  startedAt: z.string(),
  steps: z.array(SweepStep),
  /** Why the search ended, in words, with the numbers. */
  stoppedBy: z.string(),
  /** Set when the repetition could not run (target start, verification, client failure). */
  failure: z.string().nullable(),
  knees: z.array(SweepRepKnee),
  /** Lowest offered rate whose achieved rate fell below the share (null: not reached). */
  saturationRps: nonneg.nullable(),
});
export type SweepRep = z.infer<typeof SweepRep>;

/** The knee for one SLO: the highest offered rate that met it, median and interval over repetitions. */
export const Knee = z.object({
  slo: z.string(),
  percentile: z.enum(["p50", "p90", "p99", "p999", "max"]),
  limitUs: z.number().positive(),
  rps: Interval.nullable(),
  perRep: z.array(nonneg.nullable()),
  /** "atLeast": the client or the rate cap stopped the search before the SLO broke. */
  bound: KneeBound,
  note: z.string(),
});
export type Knee = z.infer<typeof Knee>;

export const SweepVerdict = z.object({
  verdict: z.enum(["valid", "noisy", "clientBound", "invalid"]),
  reasons: z.array(z.object({ kind: z.enum(["invalid", "clientBound", "noisy"]), code: z.string(), message: z.string() })),
});

export const SweepResult = z.object({
  target: z.string(),
  /** The URL swept when the harness did not start the server. */
  url: z.string().nullable(),
  variant: z.string(),
  load: LoadSettings,
  settings: z.looseObject({}),
  reps: z.array(SweepRep),
  knee: z.array(Knee),
  saturationRps: Interval.nullable(),
  verdict: SweepVerdict,
});
export type SweepResult = z.infer<typeof SweepResult>;
// ---- capacity sweeps: end ----

export const ResultFile = z.object({
  schema: z.literal(RESULT_SCHEMA),
  createdAt: z.string(),
  command: z.string(),
  scenario: z.looseObject({ name: z.string() }),
  env: Environment,
  git: z.object({ commit: z.string().nullable(), dirty: z.boolean().nullable() }),
  /** How each metric was measured, in words, so a reader of the file needs nothing else. */
  definitions: z.record(z.string(), z.string()),
  runs: z.array(Run),
  summary: z.array(SummaryRow),
  /** The scenario's ratios between rows, per repetition then the median (src/run/ratios.ts). */
  ratios: z.array(RatioResult).default([]),
  /** "complete", or "partial" when the run was interrupted; failed runs are in runs[]. */
  completeness: z.enum(["complete", "partial"]),
  sweeps: z.array(SweepResult).optional(), // capacity sweeps (issue 15)
});
export type ResultFile = z.infer<typeof ResultFile>;
