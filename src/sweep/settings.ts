// How a sweep searches: where it starts, how it climbs, how finely it bisects, how long each
// step lasts, and the limits that make a step fail. One object, filled from the command line or
// a scenario's `sweep` section, recorded in the result as it was used.
import type { Slo } from "../model/index.js";
import { MAX_FAILED_SHARE, MIN_RATE_SHARE } from "../verdict/thresholds.js";

export interface SweepSettings {
  slos: Slo[];
  /** First offered rate, req/s. */
  startRps: number;
  /** Geometric factor between ascent steps. */
  factor: number;
  /** The ascent never offers more than this. */
  maxRps: number;
  /** Bisection ends when the bracket's hi/lo is at most 1 + resolution. */
  resolution: number;
  /** Hard cap on steps per repetition (ascent, descent and bisection together). */
  maxSteps: number;
  warmupS: number;
  stepS: number;
  repetitions: number;
  /** A step is saturated when achieved < achievedShare x offered. */
  achievedShare: number;
  /** A step whose (errors + non-2xx) share exceeds this meets no SLO. */
  maxErrorShare: number;
}

export const SWEEP_DEFAULTS: Omit<SweepSettings, "slos"> = {
  startRps: 1000,
  factor: 2,
  maxRps: 2_000_000,
  resolution: 0.05,
  maxSteps: 24,
  warmupS: 0.5,
  stepS: 2,
  repetitions: 1,
  achievedShare: MIN_RATE_SHARE,
  maxErrorShare: MAX_FAILED_SHARE,
};

/** What the result records of the settings: SLOs by label. */
export function recordedSettings(s: SweepSettings): Record<string, unknown> {
  return { ...s, slos: s.slos.map((x) => x.label) };
}
