// The connection-scaling contract (issue 22): the scenario's `scaling` section (the levels and how
// each is driven), what one run at one level records, and the result's per-target curves with
// their fits and projections. Every field a result file adds is optional, so older files read.
import { z } from "zod";

const posInt = z.number().int().positive();
const nonneg = z.number().nonnegative();

/** The scenario's levels: each target is ramped to every connection count in turn. */
export const ScalingSection = z.strictObject({
  /** The levels, connections held at once; ascending, each a row of the result. */
  connections: z.array(posInt).min(1),
  /** Total request rate during the measured window, spread over all N connections (open loop). */
  rate: z.number().positive(),
  /** Seconds given to opening the N connections (the first part of the warm-up). */
  rampS: nonneg.default(2),
  /** Seconds the N connections are held, loaded, before the window opens. */
  holdS: nonneg.default(1),
  /** Memory cgroup limits; absent: a share of MemAvailable (src/cgroup/limit.ts). */
  memoryLimitBytes: z.strictObject({ target: posInt.optional(), generator: posInt.optional() }).default({}),
  /** The handbook's T2 rule against a real limit: Go targets get GOMEMLIMIT = this share of their
   *  cgroup's limit (0.9: "GOMEMLIMIT at 90 % of memory.max"); absent: GOMEMLIMIT is left alone. */
  goMemLimitShare: z.number().positive().max(1).optional(),
  /** Passed to the generator only when given (its spec fields; a generator that lacks them refuses them). */
  connectRate: posInt.optional(),
  active: posInt.optional(),
  /** The claim the projections are printed beside, as its source writes it. */
  claim: z.strictObject({ source: z.string(), text: z.string() }).optional(),
});
export type ScalingSection = z.output<typeof ScalingSection>;

/** What one run at one level measured beyond the ordinary run (RunOk.connections). */
export const LevelRecord = z.object({
  /** The level: connections asked for. */
  connections: posInt,
  /** Descriptors the target's processes gained from before the ramp to the window's start: the connections it accepted and holds. */
  held: z.number().int().nonnegative(),
  /** RSS of the target's processes after start and verification, before the ramp. */
  idleRssBytes: nonneg,
  /** RSS of the target's processes when the window opened, the N connections held. */
  heldRssBytes: nonneg,
  /** (heldRssBytes - idleRssBytes) / connections. */
  userBytesPerConn: z.number(),
  /** The target cgroup's kernel memory (v1 memory.kmem.usage_in_bytes, v2 memory.stat kernel) delta / connections; null: not kept. */
  kernelBytesPerConn: z.number().nullable(),
  /** /proc/net/sockstat TCP deltas from before the ramp to the window's start (the whole machine: both ends). */
  sockstat: z.object({ inuse: z.number(), orphan: z.number(), tw: z.number(), memPages: z.number() }),
  /** Seconds from the target's first accepted connection to its N-th (its descriptors, sampled at 50 ms); null: not all seen before the window. */
  rampS: nonneg.nullable(),
  /** connections / rampS: the target's accept rate during the ramp. */
  acceptPerSec: nonneg.nullable(),
  /** /proc/net/netstat TcpExt deltas over the ramp, hold and window. */
  listenOverflows: z.number().int().nullable(),
  listenDrops: z.number().int().nullable(),
  /** The generator's RSS when the window opened, and that over N: an upper bound of its cost per
   *  connection (its idle RSS is included; the curve's slope is the cost itself). */
  generatorRssBytes: nonneg.nullable(),
  generatorRssPerConnMax: z.number().nullable(),
  /** The memory cgroups the run was held in. */
  cgroup: z.object({
    version: z.enum(["v1", "v2"]),
    targetLimitBytes: posInt,
    generatorLimitBytes: posInt,
    targetPeakBytes: nonneg.nullable(),
    /** The GOMEMLIMIT the target ran with, bytes (scaling.goMemLimitShare or the variant's own); absent: none. */
    goMemLimit: z.string().optional(),
  }),
});
export type LevelRecord = z.infer<typeof LevelRecord>;

/** Least squares y = intercept + slope x, with 95 % intervals (null: fewer than 3 points). */
export const LinearFit = z.object({
  n: z.number().int().positive(),
  intercept: z.number(),
  slope: z.number(),
  interceptCi: z.tuple([z.number(), z.number()]).nullable(),
  slopeCi: z.tuple([z.number(), z.number()]).nullable(),
  r2: z.number().nullable(),
});
export type LinearFit = z.infer<typeof LinearFit>;

/** The fit's value at a connection count no run reached: always projected, never measured. */
export const Projection = z.object({
  connections: posInt,
  value: z.number(),
  /** 95 % interval of the fitted mean there (null: too few points). */
  ci: z.tuple([z.number(), z.number()]).nullable(),
});
export type Projection = z.infer<typeof Projection>;

/** The registry metrics (src/model/metrics.ts) each curve's points carry (medians per level). */
export const CURVE_METRICS = ["userBytesPerConn", "kernelBytesPerConn", "p99Us", "cpuUsPerReq"] as const;
/** The cost model: memory held in total against N (the slope is the cost per connection, the
 *  intercept the fixed part, so per connection at N is slope + intercept / N), and CPU per
 *  request against N (the scheduling cost of more connections shows as a slope). */
export const FIT_METRICS = ["userBytesHeld", "kernelBytesHeld", "cpuUsPerReq"] as const;

/** One target's curve over the levels: its measured points, where and why it ended, its cost model. */
export const Curve = z.object({
  target: z.string(),
  variant: z.string(),
  /** Medians over the repetitions of each level the target held. */
  points: z.array(z.object({ connections: posInt, values: z.record(z.string(), z.number().nullable()) })),
  /** The highest level held (null: none). */
  reached: posInt.nullable(),
  /** The level that ended the curve, and why (null: it held every level). */
  stoppedAt: posInt.nullable(),
  reason: z.string().nullable(),
  fits: z.record(z.string(), LinearFit.nullable()),
  projections: z.record(z.string(), z.array(Projection)),
});
export type Curve = z.infer<typeof Curve>;

export const ScalingResult = z.object({
  levels: z.array(posInt),
  /** The connection counts projected to (beyond the levels). */
  projectTo: z.array(posInt),
  claim: z.object({ source: z.string(), text: z.string() }).nullable(),
  curves: z.array(Curve),
});
export type ScalingResult = z.infer<typeof ScalingResult>;
