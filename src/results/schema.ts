// The result file, version 1. Parsed with zod when read back (compare, report), built by the
// runner when written. Extend freely; rename or remove a field only with a new schema version.
import { z } from "zod";

import { SUMMARY_METRIC_KEYS, type SummaryMetricKey } from "../metrics/registry.js";
import { Claims, LoadOverride, RatioGoal } from "../scenario/schema.js";
import { legacyRatioReps } from "./legacy.js";
import { rowVerdict, runVerdict } from "./verdicts.js";

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
  // --- uring2 (issue 17): the native generator's I/O backend; absent in results written before it ---
  backend: z.enum(["epoll", "io_uring"]).optional(),
  sqpoll: z.boolean().optional(),
  // --- end uring2 ---
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
  /** The client's CPU was saturated (the threshold is the runner's): the number describes the client. */
  clientBound: z.boolean(),
  cpus: z.array(z.number().int().nonnegative()).nullable(),
});
export type ClientMetrics = z.infer<typeof ClientMetrics>;

// ---- Validity verdict (the shared contract; computed in src/verdict/, shown by every output) ----
export const VerdictReason = z.object({
  kind: z.enum(["invalid", "clientBound", "noisy"]),
  /** "errors", "non-2xx", "no-success", "rate-unreached", "client-saturated", "high-cv", ... */
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
// ---- end of the verdict block ----

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
  /** Absent in files written before verdicts: the reader derives it (src/results/legacy.ts, src/results/verdicts.ts). */
  verdict: Verdict.optional(),
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
  /** The row's runs together; absent in older files (the reader derives it). */
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
});
export type StoredScenario = z.infer<typeof StoredScenario>;

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
