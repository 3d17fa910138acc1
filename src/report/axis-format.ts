// Chart axes in the report's one unit system (src/present/format.ts): a latency axis is drawn in
// microseconds and labelled as formatMicros prints (845 µs, 1.02 ms, 2.50 s), never with vega's
// SI prefixes on milliseconds ("200m" for 200 µs).
import { MICROS_STEPS } from "../present/format.js";

/** A vega expression that formats `datum.value` (µs) as formatMicros does: three significant digits. */
export function microsLabelExpr(): string {
  const steps = MICROS_STEPS.map(([size, unit]) => `datum.value >= ${size} ? format(datum.value / ${size}, '.3r') + ' ${unit}'`);
  return `datum.value == 0 ? '0 µs' : ${steps.join(" : ")} : format(datum.value, '.3r') + ' µs'`;
}

/** Tick values for a log axis over [lo, hi]: 1, 2 and 5 times each power of ten, or the powers
 *  alone past three decades, from the last tick at or below lo to the first at or above hi (the
 *  axis's domain, so both ends are labelled). Vega's own log ticks put 20,000 and 30,000 side by
 *  side, whose labels overlap at a chart's width. */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi >= lo)) return [];
  const first = Math.floor(Math.log10(lo));
  const last = Math.ceil(Math.log10(hi));
  const steps = last - first > 3 ? [1] : [1, 2, 5];
  const ticks: number[] = [];
  for (let e = first; e <= last; e++) for (const m of steps) ticks.push(m * 10 ** e);
  const from = ticks.filter((t) => t <= lo).length - 1;
  const to = ticks.findIndex((t) => t >= hi);
  return ticks.slice(Math.max(0, from), to + 1);
}
