// The one number formatter: every output (terminal, compare, report, charts' labels) prints a
// value of a unit through here, so the same value reads the same everywhere.
//
// Units: memory in binary units (B, KiB, MiB, GiB: 1 KiB = 1024 B), counts and rates with SI
// prefixes (k = 1e3, M = 1e6, G = 1e9), latency in µs / ms / s, CPU in % of one CPU, ratios as
// "0.949x" with three decimals, so a ratio just under its goal never prints as the goal itself.
import type { Unit } from "../model/index.js";

/** Three significant digits (at most three decimals), trailing the sign of v. */
export function sig3(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return v.toFixed(digits);
}

/** Scales v by the largest step it reaches and prints it with three significant digits. */
function scaled(v: number, steps: ReadonlyArray<readonly [number, string]>, space: string): string {
  const a = Math.abs(v);
  for (const [size, suffix] of steps) {
    if (a >= size) return `${sig3(v / size)}${space}${suffix}`;
  }
  const last = steps[steps.length - 1]!;
  return `${sig3(v / last[0])}${space}${last[1]}`;
}

const SI: ReadonlyArray<readonly [number, string]> = [
  [1e9, "G"],
  [1e6, "M"],
  [1e3, "k"],
  [1, ""],
];
const BINARY: ReadonlyArray<readonly [number, string]> = [
  [2 ** 30, "GiB"],
  [2 ** 20, "MiB"],
  [2 ** 10, "KiB"],
  [1, "B"],
];
/** Latency steps in microseconds; exported so the report's chart axes speak the same units. */
export const MICROS_STEPS: ReadonlyArray<readonly [number, string]> = [
  [1e6, "s"],
  [1e3, "ms"],
  [1, "µs"],
];

/** 16.6k, 1.23M: counts and rates. */
export function formatCount(v: number): string {
  return scaled(v, SI, "");
}

/** 58.4 MiB: memory, binary units. */
export function formatBytes(v: number): string {
  return scaled(v, BINARY, " ");
}

/** 845 µs, 1.02 ms, 2.50 s: a duration given in microseconds. */
export function formatMicros(us: number): string {
  return scaled(us, MICROS_STEPS, " ");
}

/** 0.949x: three decimals below 10x, so a ratio beside its goal shows on which side it lies. */
export function formatRatio(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return `${v.toFixed(Math.abs(v) >= 10 ? 1 : 3)}x`;
}

/** +3.21%, -12.3%: a change in percent. */
export function formatChangePct(v: number): string {
  // An unbounded bootstrap end (a resample with a zero old median) prints as such.
  if (!Number.isFinite(v)) return v > 0 ? "+inf%" : "-inf%";
  const s = Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  return v > 0 ? `+${s}%` : `${s}%`;
}

export function formatValue(v: number, unit: Unit): string {
  switch (unit) {
    case "req/s":
    case "req/CPU-s":
    case "count":
      return formatCount(v);
    case "us":
      return formatMicros(v);
    case "bytes":
    case "B/req":
      return formatBytes(v);
    case "1/s":
      return sig3(v);
    case "%":
      return `${v.toFixed(0)}%`;
    case "x":
      return formatRatio(v);
  }
}

/** The first 12 characters of a commit, or a word for none. */
export function shortCommit(c: string | null): string {
  return c === null ? "(no commit)" : c.slice(0, 12);
}

/** What the units are, in words, for the legends under tables. */
export const UNITS_LEGEND =
  "units: memory in binary units (1 KiB = 1024 B, 1 MiB = 1024 KiB); counts and rates with SI prefixes (k = 1,000, M = 1,000,000); latency in µs, ms, s; CPU in % of one CPU";
