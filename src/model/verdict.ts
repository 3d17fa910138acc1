// The validity verdict's shape, shared by runs, summary rows, sweeps and `load` (computed by
// src/verdict/; the rules and thresholds live there).
import { z } from "zod";

import { VERDICT_KINDS, VERDICTS } from "./enums.js";

const nonneg = z.number().finite().nonnegative();

// --- Validity verdict (computed by src/verdict/, shared contract; see docs/architecture.md) ---
export const VerdictReason = z.object({
  kind: z.enum(VERDICT_KINDS),
  /** "errors", "non-2xx", "no-success", "rate-unreached", "unverified", "unfinished",
   *  "client-saturated", "cpu-steal", "foreign-cpu", "high-cv", ... */
  code: z.string(),
  /** One line a person reads, with the numbers. */
  message: z.string(),
});
export type VerdictReason = z.infer<typeof VerdictReason>;
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
// --- end of the validity verdict block ---
