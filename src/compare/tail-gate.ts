// --fail-on-regression's spec: "5" or "5%" (every compared metric), "p99:5%" (that metric only),
// several joined by commas ("p99:5%,req/s:3%"). A metric is named by its registry key or by the
// column it is printed under (p50, p99, p99.9, req/s, ...), so the names are the tables' own.
import { BadInputError } from "../errors.js";
import { COMPARE_METRICS } from "../model/index.js";

export interface GateSpec {
  /** The threshold for every metric (null: only the metrics named). */
  allPct: number | null;
  /** Thresholds by metric key ("p99Us"); a named metric overrides allPct. */
  byMetric: Record<string, number>;
}

function percent(text: string, whole: string): number {
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  const v = m ? Number(m[1]) : Number.NaN;
  if (!Number.isFinite(v) || v > 1000) {
    throw new BadInputError(`--fail-on-regression: expected a percentage from 0 to 1000 such as 5% or p99:5%, received "${whole}"`);
  }
  return v;
}

function metricKey(name: string, whole: string): string {
  const n = name.trim();
  const m = COMPARE_METRICS.find((x) => x.key === n || x.column === n);
  if (!m) {
    throw new BadInputError(
      `--fail-on-regression: no compared metric "${n}" in "${whole}"; use one of ${COMPARE_METRICS.map((x) => x.column).join(", ")}`,
    );
  }
  return m.key;
}

export function parseGateSpec(text: string): GateSpec {
  const spec: GateSpec = { allPct: null, byMetric: {} };
  for (const part of text.split(",")) {
    const colon = part.lastIndexOf(":");
    if (colon < 0) spec.allPct = percent(part, text);
    else spec.byMetric[metricKey(part.slice(0, colon), text)] = percent(part.slice(colon + 1), text);
  }
  return spec;
}

/** The threshold for a compared table (its key: a metric key, or "ratio:<metric>"); null: not gated. */
export function thresholdFor(spec: GateSpec, tableKey: string): number | null {
  const key = tableKey.startsWith("ratio:") ? tableKey.slice("ratio:".length) : tableKey;
  return spec.byMetric[key] ?? spec.allPct;
}

/** "5%" or "p99 5%, req/s 3%", as the gate's heading says it. */
export function describeGateSpec(spec: GateSpec): string {
  const named = Object.entries(spec.byMetric).map(([k, v]) => `${COMPARE_METRICS.find((m) => m.key === k)?.column ?? k} ${v}%`);
  return [...(spec.allPct !== null ? [`${spec.allPct}%`] : []), ...named].join(", ");
}
