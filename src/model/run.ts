// One run of a result file: its load settings, what it measured, and how it failed or was
// skipped. The bottom of the model: it imports only zod, the shared enums and the verdict.
import { z } from "zod";

import { PROTOCOLS, ERROR_KINDS, GENERATOR_NAMES, LATENCY_FROM, NATIVE_BACKENDS, NEWER_ERROR_KINDS, type ErrorKind } from "./enums.js";
import { KernelWindow } from "./kernel.js";
import { NetworkRecord } from "./network.js";
import { LevelRecord } from "./scaling.js";
import { SpeedRecord } from "./speed.js";
import { CpuNoise, Verdict } from "./verdict.js";

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
  generator: z.enum(GENERATOR_NAMES),
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
  latencyFrom: z.enum(LATENCY_FROM).optional(),
  /** The native generator's I/O backend; absent in results written before it. */
  backend: z.enum(NATIVE_BACKENDS).optional(),
  sqpoll: z.boolean().optional(),
  /** The wire protocol (issue 24); absent in results written before it (they are all h1). */
  protocol: z.enum(PROTOCOLS).optional(),
  /** Concurrent HTTP/2 streams per connection (h2 runs only). */
  streams: z.number().int().positive().optional(),
  /** TLS runs whose generator offered its last session ticket on each new connection (resumed handshakes). */
  tlsResume: z.literal(true).optional(),
  /** Of those, runs whose generator sent a resumed connection's first requests as early data. */
  tlsEarlyData: z.literal(true).optional(),
  /** Runs whose open loop sent with Poisson arrivals (absent: evenly spaced, or closed loop). */
  arrival: z.literal("poisson").optional(),
});
export type LoadSettings = z.infer<typeof LoadSettings>;

export const ErrorCountsSchema = z.object(
  Object.fromEntries(
    ERROR_KINDS.map((k) => [k, NEWER_ERROR_KINDS.includes(k) ? z.number().int().nonnegative().default(0) : z.number().int().nonnegative()]),
  ) as Record<ErrorKind, z.ZodNumber>,
);
export type ErrorCounts = Record<ErrorKind, number>;

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
  /** --reps auto: this run's repetition was judged slow-phase and run again; the run is kept for
   *  the record, out of the summary and the ratios (src/run/slow-reps.ts). */
  rerun: z.literal("slow-phase").optional(),
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
      slowloris: z
        .object({
          connections: z.number().int().nonnegative(),
          intervalMs: z.number().int().positive(),
          openAtWindowStart: z.number().int().nonnegative(),
          openAtWindowEnd: z.number().int().nonnegative(),
          closedByServerInWindow: z.number().int().nonnegative(),
          meanHeldS: nonneg.nullable(),
          connectFailures: z.number().int().nonnegative(),
        })
        .optional(),
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
   *  (the reader's upgrade, src/results/upgrade.ts, derives it from the recorded counts). */
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
  /** The kernel's view of the window by eBPF (src/kernel/): run-queue latency, retransmissions,
   *  drops by reason, connections; or why it is unavailable. Absent in older files. */
  kernel: KernelWindow.optional(),
  /** The window's latencies second by second, one HdrHistogram each, compressed as latencyHdr is
   *  (they add up to it); absent where the generator does not record them, and in older files. */
  intervalsHdr: z.array(z.string()).optional(),
  /** Connection scaling (issue 22): what a level's run measured beyond the ordinary run; absent elsewhere. */
  connections: LevelRecord.optional(),
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
