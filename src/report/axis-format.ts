// Chart axes in the report's one unit system (src/present/format.ts): a latency axis is drawn in
// microseconds and labelled as formatMicros prints (845 µs, 1.02 ms, 2.50 s), never with vega's
// SI prefixes on milliseconds ("200m" for 200 µs).
import { MICROS_STEPS } from "../present/format.js";

/** A vega expression that formats `datum.value` (µs) as formatMicros does: three significant digits. */
export function microsLabelExpr(): string {
  const steps = MICROS_STEPS.map(([size, unit]) => `datum.value >= ${size} ? format(datum.value / ${size}, '.3r') + ' ${unit}'`);
  return `datum.value == 0 ? '0 µs' : ${steps.join(" : ")} : format(datum.value, '.3r') + ' µs'`;
}
