// The machine-speed probe's record (src/probe/speed.ts, src/verdict/slow-phase.ts).
import { z } from "zod";

const nonneg = z.number().finite().nonnegative();

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
    .object({
      edge: z.enum(["start", "end"]),
      cpu: z.number().int().nonnegative().nullable(),
      slowdown: nonneg,
      work: nonneg,
      shared: nonneg,
      roundTrip: nonneg,
    })
    .nullable(),
  /** Probes the baseline had learnt from when it judged this window. */
  baselineFrom: z.number().int().nonnegative(),
  failure: z.string().nullable(),
});
export type SpeedRecord = z.infer<typeof SpeedRecord>;
