// The result file, version 1. Parsed with zod when read back (compare, report), built by the
// runner when written. Extend freely; rename or remove a field only with a new schema version.
import { z } from "zod";

import { MODES, RATIO_VERDICTS } from "./enums.js";
import { AutoReps, Stopping } from "./reps.js";
import { SUMMARY_METRIC_KEYS, type SummaryMetricKey } from "./metrics.js";
import { ErrorCountsSchema, LatencySummary, LoadSettings, Run } from "./run.js";
import { Claims, LoadOverride, RatioGoal } from "./scenario.js";
import { SLO_PERCENTILES } from "./slo.js";
import { ScalingResult, ScalingSection } from "./scaling.js";
import { SweepSection } from "./sweep.js";
import { HostsSection, LinkSection } from "./topology.js";
import { CpuNoise, Verdict } from "./verdict.js";

export const RESULT_SCHEMA = "evbench/result@1";

const num = z.number().finite();
const nonneg = num.nonnegative();

/** Median with a 95 % interval over repetitions (distribution-free, from order statistics). */
export const Interval = z.object({ median: num, lo: num, hi: num, n: z.number().int().nonnegative() });
export type Interval = z.infer<typeof Interval>;

// A metric added to the registry after a file was written reads back as null (not measured then).
const summaryMetrics = Object.fromEntries(SUMMARY_METRIC_KEYS.map((k) => [k, Interval.nullable().default(null)])) as Record<
  SummaryMetricKey,
  z.ZodDefault<z.ZodNullable<typeof Interval>>
>;

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
   *  files hold bare numbers; the reader pairs them with their runs (src/results/upgrade.ts). */
  perRep: z.union([z.array(RatioRep), z.array(num)]),
  verdict: z.enum(RATIO_VERDICTS),
  /** undecided: the interval beside the goal and what more repetitions would need (src/verdict/goal.ts). */
  undecidedWhy: z.string().nullable().optional(),
  /** --reps auto: the interval the verdict rests on (below 6 repetitions wider than \`ratio\`'s: src/stats/t-interval.ts). */
  decidedOn: Interval.nullable().optional(),
  clientBound: z.number().int().nonnegative(),
});
/** As the runner writes it and the reader returns it: perRep as records. */
export type RatioResult = Omit<z.infer<typeof RatioResult>, "perRep"> & { perRep: RatioRep[] };

// uring2 (issue 17): backend and sqpoll are absent from scenarios stored before them.
// Fields added after results were first published are optional here (absent: off, as their defaults).
const StoredLoad = LoadOverride.required().partial({
  backend: true,
  sqpoll: true,
  tls: true,
  h2: true,
  streams: true,
  tlsResume: true,
  tlsEarlyData: true,
  arrival: true,
});

/** The scenario as the runner resolved it (src/scenario/load.ts Scenario): every variant's load
 *  complete, claims and ratio goals as the scenario schema parses them. */
export const StoredScenario = z.object({
  name: z.string(),
  description: z.string(),
  file: z.string(),
  mode: z.enum(MODES),
  targets: z.array(
    z.object({
      name: z.string(),
      threads: z.number().int().positive(),
      variants: z.array(z.object({ name: z.string(), env: z.record(z.string(), z.string()), args: z.array(z.string()), load: StoredLoad })),
      /** A user's own server (issue 23): the form as stated and, under prepared.record, what ran
       *  (command, commit and dirty state, `go version -m`). Absent: a registered target. */
      user: z.looseObject({ kind: z.enum(["command", "go", "url"]) }).optional(),
    }),
  ),
  load: StoredLoad,
  warmupS: nonneg,
  durationS: z.number().positive(),
  repetitions: z.number().int().positive(),
  /** --reps auto: its precision and budget (null or absent: exactly \`repetitions\`). */
  autoReps: AutoReps.nullable().optional(),
  cpus: z.object({ server: z.array(z.number().int().nonnegative()), client: z.array(z.number().int().nonnegative()) }).nullable(),
  cpuNote: z.string().nullable(),
  claims: Claims.nullable(),
  ratios: z.array(RatioGoal),
  /** Where the target and the clients ran, and the link (absent in files before topologies). */
  hosts: HostsSection.optional(),
  link: LinkSection.nullable().optional(),
  /** The scenario's capacity sweep section (npm run sweep), if it has one. */
  sweep: SweepSection.nullable().optional(),
  /** The scenario's connection levels (issue 22), if it has them. */
  scaling: ScalingSection.nullable().optional(),
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
  percentile: z.enum(SLO_PERCENTILES),
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
  /** --reps auto: how many repetitions ran and why they stopped (absent for a fixed count). */
  stopping: Stopping.optional(),
  /** Capacity sweeps (npm run sweep): absent in bench results. */
  sweeps: z.array(SweepResult).optional(),
  /** Connection scaling (issue 22): each target's curve over the levels, its fit and projections; absent elsewhere. */
  scaling: ScalingResult.optional(),
});

/** A result as the runner writes it and the reader returns it (src/results/upgrade.ts derives
 *  what older files lack): every ratio's perRep as records, every run's and row's verdict present. */
export type ResultFile = Omit<z.output<typeof ResultFileJson>, "ratios"> & { ratios: RatioResult[] };
