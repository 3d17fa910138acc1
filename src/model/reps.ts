// `--reps auto` (scenario `"repetitions": "auto"`): repeat until the answer is known. The settings
// (precision, budget) and the record of why the repetitions stopped, as results store them. The
// rule itself: src/run/stopping.ts; how it decides: docs/architecture.md, "Repetitions until the
// answer is known".
import { z } from "zod";

import { STOP_REASONS } from "./enums.js";
import { RANGES } from "./ranges.js";

/** Fewer repetitions than this never stop an auto run: fewer than 3 give no interval worth a decision. */
export const MIN_AUTO_REPS = 3;
/** The relative interval half-width asked of every reported interval unless --precision says otherwise. */
export const DEFAULT_PRECISION = 0.05;
/** Precision bounds: above 50 % an interval says nothing; below 0.1 % no machine of this kind gets there. */
export const PRECISION_RANGE = { min: 0.001, max: 0.5 } as const;

/** At most so many seconds (a repetition is not started that would end past it) or repetitions. */
export const Budget = z.union([
  z.strictObject({ seconds: z.number().positive() }),
  z.strictObject({ reps: z.number().int().min(MIN_AUTO_REPS).max(RANGES.repetitions.max) }),
]);
export type Budget = z.infer<typeof Budget>;
/** Unless --budget says otherwise: a count, so that the default bounds a run on any machine alike. */
export const DEFAULT_BUDGET: Budget = { reps: 20 };

export const AutoReps = z.strictObject({ precision: z.number().min(PRECISION_RANGE.min).max(PRECISION_RANGE.max), budget: Budget });
export type AutoReps = z.infer<typeof AutoReps>;

const BUDGET_TEXT = /^(\d+(?:\.\d+)?)(s|m|h|reps?)$/;
const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** "600s", "10m", "1h", "20reps": a Budget, or a message naming what is wrong. */
export function parseBudget(text: string): Budget | string {
  const m = BUDGET_TEXT.exec(text.trim());
  const expected = `expected seconds or a repetition count, such as 600s, 10m or 20reps`;
  if (!m) return `"${text}": ${expected}`;
  const n = Number(m[1]);
  if (m[2]!.startsWith("rep")) {
    if (!Number.isInteger(n) || n < MIN_AUTO_REPS || n > RANGES.repetitions.max)
      return `"${text}": a whole number of repetitions from ${MIN_AUTO_REPS} (the fewest an auto run takes) to ${RANGES.repetitions.max}`;
    return { reps: n };
  }
  const seconds = n * UNIT_S[m[2]!]!;
  return seconds > 0 ? { seconds } : `"${text}": ${expected}, above zero`;
}

/** "5%", "2.5%", "5" (percent): the relative precision as a fraction, or a message. */
export function parsePrecision(text: string): number | string {
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  const p = m ? Number(m[1]) / 100 : Number.NaN;
  if (!(p >= PRECISION_RANGE.min && p <= PRECISION_RANGE.max))
    return `"${text}": a percentage from ${PRECISION_RANGE.min * 100}% to ${PRECISION_RANGE.max * 100}%, such as 5% or 3%`;
  return p;
}

export function budgetText(b: Budget): string {
  return "reps" in b ? `${b.reps} reps` : `${b.seconds}s`;
}

/** What an auto run did and why it stopped (absent in results of a fixed repetition count). */
export const Stopping = z.object({
  precision: z.number(),
  budget: Budget,
  /** Complete repetitions (every row's run of that repetition done). */
  reps: z.number().int().nonnegative(),
  stop: z.enum(STOP_REASONS),
  /** The widest relative half-width among the judged intervals at the stop (null: none was
   *  judged). Its halfWidth is null when unbounded: a series with no interval yet (under 2 counted
   *  repetitions, as when slow-phase repetitions spent the budget) or a zero median with spread. */
  widest: z.object({ label: z.string(), halfWidth: z.number().nullable() }).nullable(),
  /** Coverage of the order-statistic interval of the median at `reps` (below 95 % under 6 reps). */
  coverage: z.number(),
  /** The goals (of/to metric) whose interval still held the goal at the stop. */
  undecided: z.array(z.string()),
  /** Wall time the repetitions took, in seconds. */
  elapsedS: z.number().nonnegative(),
  /** Repetitions judged slow-phase and run again: their runs are kept (`rerun`), out of the
   *  summary and the ratios, and not in `reps`. Absent in files written before it: none. */
  slowPhaseReps: z.number().int().nonnegative().optional(),
});
export type Stopping = z.infer<typeof Stopping>;

/** A scenario's "precision" ("3%") or "budget" ("10m", "20reps") as text, parsed at load time. */
export function textField<T>(parse: (t: string) => T | string) {
  return z.string().transform((t, ctx): T => {
    const r = parse(t);
    if (typeof r === "string") {
      ctx.addIssue({ code: "custom", message: r });
      return z.NEVER;
    }
    return r;
  });
}
