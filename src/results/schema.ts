// The result file, version 1. Parsed with zod when read back (compare, report), built by the
// runner when written. Extend freely; rename or remove a field only with a new schema version.
import { z } from "zod";

import { SUMMARY_METRIC_KEYS, type SummaryMetricKey } from "../metrics/registry.js";
import { Claims, LoadOverride, RatioGoal } from "../scenario/schema.js";
import { legacyRatioReps } from "./legacy.js";
import { rowVerdict, runVerdict } from "./verdicts.js";
import { NetworkRecord } from "../topology/record.js";
import { HostsSection, LinkSection } from "../topology/scenario.js";
import { SweepSection } from "../sweep/section.js";

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
  /** Where latency is timed from: "intended-send" (coordinated omission corrected: the native
   *  generator's open loop) or "send" (the actual write; autocannon's --rate is not corrected). */
  latencyFrom: z.enum(["send", "intended-send"]).optional(),
  /** The native generator's I/O backend; absent in results written before it. */
  backend: z.enum(["epoll", "io_uring"]).optional(),
  sqpoll: z.boolean().optional(),
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
  // --- handbook (issue 18): RSS swing over the window; absent from results written before it ---
  /** max - min of the 10 Hz RSS samples in the window. */
  rssSwingBytes: nonneg.nullable().optional(),
  /** Standard deviation of the same samples. */
  rssStdBytes: nonneg.nullable().optional(),
  // --- end handbook ---
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
  /** The client used >= 90 % of its CPU allotment while the server used < 90 % of its own: the number
   *  describes the client (src/verdict/saturation.ts; files before verdicts: client CPU >= 95 %). */
  clientBound: z.boolean(),
  cpus: z.array(z.number().int().nonnegative()).nullable(),
});
export type ClientMetrics = z.infer<typeof ClientMetrics>;

// --- Validity verdict (computed by src/verdict/, shared contract; see docs/architecture.md) ---
export const VerdictReason = z.object({
  kind: z.enum(["invalid", "clientBound", "noisy"]),
  /** "errors", "non-2xx", "no-success", "rate-unreached", "unverified", "unfinished",
   *  "client-saturated", "cpu-steal", "foreign-cpu", "high-cv", ... */
  code: z.string(),
  /** One line a person reads, with the numbers. */
  message: z.string(),
});
export type VerdictReason = z.infer<typeof VerdictReason>;
export const VERDICTS = ["valid", "noisy", "clientBound", "invalid"] as const;
export const Verdict = z.object({
  /** The worst of its reasons, in the order of VERDICTS. */
  verdict: z.enum(VERDICTS),
  reasons: z.array(VerdictReason),
});
export type Verdict = z.infer<typeof Verdict>;
/** CPU time on the judged CPUs over the window that was neither the target's nor the client's. */
export const CpuNoise = z.object({
  /** The CPUs judged (the pinned ones, or every CPU on unpinned runs). */
  cpus: z.array(z.number().int().nonnegative()),
  /** Steal time / all time on those CPUs, in %. */
  stealPct: nonneg,
  /** Busy time of other processes / all time on those CPUs, in %. */
  foreignPct: nonneg,
});
export type CpuNoise = z.infer<typeof CpuNoise>;
/** One machine-speed probe (src/probe/speed.ts): fixed work on one CPU at one window edge. */
export const SpeedSample = z.object({
  edge: z.enum(["start", "end"]),
  /** The CPU it was pinned to (null: unpinned). */
  cpu: z.number().int().nonnegative().nullable(),
  /** The fixed CPU-bound loop: wall time (what a target on this CPU feels) and CPU time (the work). */
  loopWallUs: nonneg,
  loopCpuUs: nonneg,
  /** Median loopback round trip of 64 bytes, both ends on this CPU. */
  roundTripUs: nonneg,
});
export type SpeedSample = z.infer<typeof SpeedSample>;
/** The window's probes against this machine's baseline (results/<hardware-id>/machine-speed.baseline). */
export const SpeedRecord = z.object({
  samples: z.array(SpeedSample),
  /** The worst probe's time / the baseline's (loop wall time or round trip, the larger); null:
   *  no baseline yet (the machine's first window) or the probe failed. */
  slowdown: nonneg.nullable(),
  /** The worst probe, its slowdown split: work = CPU time ratio (the host itself slower),
   *  shared = wall-per-CPU-time ratio (another process runnable on the CPU). */
  worst: z
    .object({ edge: z.enum(["start", "end"]), cpu: z.number().int().nonnegative().nullable(), slowdown: nonneg, work: nonneg, shared: nonneg, roundTrip: nonneg })
    .nullable(),
  /** Probes the baseline had learnt from when it judged this window. */
  baselineFrom: z.number().int().nonnegative(),
  failure: z.string().nullable(),
});
export type SpeedRecord = z.infer<typeof SpeedRecord>;
// --- end of the validity verdict block ---

// --- profiles block (issue 18): the profiles of one run's window, taken over the control channel ---
/** The GC over the window (Go targets; the target's own runtime/metrics deltas). */
export const ProfileGcSummary = z.object({
  windowS: nonneg,
  cycles: z.number().int().nonnegative(),
  pauseTotalNs: nonneg,
  allocBytes: nonneg,
  gcCpuSeconds: nonneg,
  gogc: z.string(),
  gomaxprocs: z.number().int().positive(),
});
export const RunProfile = z.object({
  /** pprof (Go: gzip'd profile.proto) or v8 (Node: .cpuprofile JSON); null when none was taken. */
  format: z.enum(["pprof", "v8"]).nullable(),
  /** Files relative to the result file's folder (`<result-stem>.profiles/<target>-<variant>-rep<N>.*`). */
  cpu: z.string().nullable(),
  heap: z.string().nullable(),
  /** The allocs profile at the window's start (Go): heap minus heapBase is the window's allocations. */
  heapBase: z.string().nullable().optional(),
  gc: z.string().nullable(),
  gcSummary: ProfileGcSummary.nullable(),
  /** Why no profile was taken: the target cannot (its answer), or it failed (its error). */
  missing: z.string().nullable(),
});
export type RunProfile = z.infer<typeof RunProfile>;
// --- end profiles ---

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
  // --- handbook (issue 18): what the background clients saw; null: none ran; absent in older results ---
  background: z
    .object({
      bursts: z
        .object({
          connections: z.number().int().positive(),
          bodyBytes: z.number().int().positive(),
          onS: z.number().positive(),
          offS: z.number().positive(),
          requestsInWindow: z.number().int().nonnegative(),
          burstsStartedInWindow: z.number().int().nonnegative(),
          errors: z.number().int().nonnegative(),
        })
        .optional(),
      slowloris: z.object({
        connections: z.number().int().nonnegative(),
        intervalMs: z.number().int().positive(),
        openAtWindowStart: z.number().int().nonnegative(),
        openAtWindowEnd: z.number().int().nonnegative(),
        closedByServerInWindow: z.number().int().nonnegative(),
        meanHeldS: nonneg.nullable(),
        connectFailures: z.number().int().nonnegative(),
      }).optional(),
    })
    .nullable()
    .optional(),
  /** The target's control-channel "extra" at the window's edges (e.g. nethttp's gcController decisions). */
  targetExtra: z
    .object({ atWindowStart: z.record(z.string(), z.unknown()), atWindowEnd: z.record(z.string(), z.unknown()) })
    .nullable()
    .optional(),
  // --- end handbook ---
  // --- profiles block (issue 18, --profile): what was profiled over the window; absent: not asked ---
  profile: RunProfile.optional(),
  // --- end profiles ---
  // --- run's block: validity and request accounting ---
  /** Why this number may mislead (src/verdict/); absent in files written before verdicts
   *  (deriveRunVerdict in src/verdict/ re-derives it). */
  verdict: Verdict.optional(),
  /** Request accounting over the whole run, warm-up and drain included (definitions.sent; null:
   *  the generator cannot tell; absent: older files): sent = answered + failed + unfinished. */
  sent: z.number().int().nonnegative().nullable().optional(),
  answered: z.number().int().nonnegative().nullable().optional(),
  failed: z.number().int().nonnegative().nullable().optional(),
  /** Requests sent and neither answered nor failed when the run ended (null: unknown). */
  unfinished: z.number().int().nonnegative().nullable().optional(),
  /** Busy CPUs beside the run: steal and other processes' time over the window (null: unknown). */
  cpuNoise: CpuNoise.nullable().optional(),
  /** The machine-speed probe at the window's edges against this machine's baseline (absent:
   *  not probed, older files). */
  speed: SpeedRecord.nullable().optional(),
  /** The link's and the kernel's TCP counters over the window (netns and ssh topologies). */
  network: NetworkRecord.optional(),
  /** The window's latencies second by second, one HdrHistogram each, compressed as latencyHdr is
   *  (they add up to it); absent where the generator does not record them, and in older files. */
  intervalsHdr: z.array(z.string()).optional(),
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

// A metric added to the registry after a file was written reads back as null (not measured then).
const summaryMetrics = Object.fromEntries(SUMMARY_METRIC_KEYS.map((k) => [k, Interval.nullable().default(null)])) as Record<SummaryMetricKey, z.ZodDefault<z.ZodNullable<typeof Interval>>>;

/** Per target and variant: run counts and, for every summary metric of the registry, its interval. */
export const SummaryRow = z.object({
  target: z.string(),
  variant: z.string(),
  okRuns: z.number().int().nonnegative(),
  failedRuns: z.number().int().nonnegative(),
  skippedRuns: z.number().int().nonnegative().default(0),
  ...summaryMetrics,
  clientBoundRuns: z.number().int().nonnegative(),
  /** The row's runs together, plus high-cv (src/verdict/); absent in older files. */
  verdict: Verdict.optional(),
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

export const RatioRep = z.object({ rep: z.number().int().nonnegative(), ratio: num, clientBound: z.boolean() });
export type RatioRep = z.infer<typeof RatioRep>;

export const RatioResult = z.object({
  of: z.string(),
  to: z.string(),
  metric: z.string(),
  atLeast: z.number().nullable(),
  atMost: z.number().nullable(),
  why: z.string().nullable(),
  ratio: Interval.nullable(),
  /** Per repetition, in repetition order, with whether either row's run was client-bound. Older
   *  files hold bare numbers; the reader pairs them with their runs (src/results/legacy.ts, src/results/verdicts.ts). */
  perRep: z.union([z.array(RatioRep), z.array(num)]),
  verdict: z.enum(["pass", "fail", "no-goal", "no-data"]),
  clientBound: z.number().int().nonnegative(),
});
/** As the runner writes it and the reader returns it: perRep as records. */
export type RatioResult = Omit<z.infer<typeof RatioResult>, "perRep"> & { perRep: RatioRep[] };

// uring2 (issue 17): backend and sqpoll are absent from scenarios stored before them.
const StoredLoad = LoadOverride.required().partial({ backend: true, sqpoll: true });

/** The scenario as the runner resolved it (src/scenario/load.ts Scenario): every variant's load
 *  complete, claims and ratio goals as the scenario schema parses them. */
export const StoredScenario = z.object({
  name: z.string(),
  description: z.string(),
  file: z.string(),
  mode: z.enum(["http", "echo"]),
  targets: z.array(
    z.object({
      name: z.string(),
      threads: z.number().int().positive(),
      variants: z.array(z.object({ name: z.string(), env: z.record(z.string(), z.string()), args: z.array(z.string()), load: StoredLoad })),
    }),
  ),
  load: StoredLoad,
  warmupS: nonneg,
  durationS: z.number().positive(),
  repetitions: z.number().int().positive(),
  cpus: z.object({ server: z.array(z.number().int().nonnegative()), client: z.array(z.number().int().nonnegative()) }).nullable(),
  cpuNote: z.string().nullable(),
  claims: Claims.nullable(),
  ratios: z.array(RatioGoal),
  /** Where the target and the clients ran, and the link (absent in files before topologies). */
  hosts: HostsSection.optional(),
  link: LinkSection.nullable().optional(),
  /** The scenario's capacity sweep section (npm run sweep), if it has one. */
  sweep: SweepSection.nullable().optional(),
});
export type StoredScenario = z.infer<typeof StoredScenario>;

// ---- capacity sweeps (written by src/sweep/) ----
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
  /** Share of the window some task, the run's own included, waited for a CPU (Linux PSI); null where unknown. */
  cpuPressurePct: nonneg.nullable().default(null),
  /** Steal and other processes' CPU time on the judged CPUs over the window (the run's own subtracted); null in older files. */
  cpuNoise: CpuNoise.nullable().default(null),
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

/** The same verdict as runs and rows carry. */
export const SweepVerdict = Verdict;

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

/** The file as written, older forms included: what schema/result.schema.json describes. */
export const ResultFileJson = z.object({
  schema: z.literal(RESULT_SCHEMA),
  createdAt: z.string(),
  command: z.string(),
  scenario: StoredScenario,
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
  /** Capacity sweeps (npm run sweep): absent in bench results. */
  sweeps: z.array(SweepResult).optional(),
});

/** A result with what older files lack derived (src/results/legacy.ts, src/results/verdicts.ts): every ratio's perRep as
 *  records, every run's and row's verdict present. */
type ResultFileOut = Omit<z.output<typeof ResultFileJson>, "ratios"> & { ratios: RatioResult[] };
export const ResultFile = ResultFileJson.transform((f): ResultFileOut => ({
  ...f,
  runs: f.runs.map((r) => (r.status === "ok" ? { ...r, verdict: runVerdict(r) } : r)),
  summary: f.summary.map((row) => ({ ...row, verdict: rowVerdict(row, f.runs) })),
  ratios: f.ratios.map((x) => ({ ...x, perRep: x.perRep.map((p, i) => (typeof p === "number" ? legacyRatioReps(f.runs, x.of, x.to, x.perRep as number[])[i]! : p)) })),
}));
export type ResultFile = z.output<typeof ResultFile>;
