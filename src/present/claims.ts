// Claimed versus measured: the numbers a scenario's source claims (e.g. the handbook's table T7)
// next to what this result measured, as ratios to the claims' reference row, because ratios
// travel between machines and absolute numbers do not. A pure function of the result file, so
// the terminal table (src/cli.ts) and the report print the same rows and the same divergences.
import { CLAIM_METRICS, SUMMARY_METRIC_KEYS, type MetricKey, type SummaryMetricKey } from "../model/index.js";
import type { Unit } from "../model/index.js";
import { formatRatio as ratio } from "./format.js";
import type { Interval, ResultFile, SummaryRow } from "../model/index.js";
import type { ClaimRow, Claims } from "../model/index.js";
import { summarize } from "../stats/index.js";

const isSummaryKey = (k: MetricKey): k is SummaryMetricKey => (SUMMARY_METRIC_KEYS as readonly string[]).includes(k);

type ClaimMetric = (typeof CLAIM_METRICS)[number];

export interface RatioWithInterval {
  value: number;
  /** Conservative interval: each row's 95 % (or min..max) interval at its unfavourable end. */
  lo: number;
  hi: number;
}

export interface ClaimComparisonRow {
  /** The key as written in the claims (a target name, or target/variant). */
  claimKey: string;
  /** The summary row it was matched to, or null when this result has no such row. */
  target: string | null;
  variant: string | null;
  metric: MetricKey;
  label: string;
  unit: Unit;
  claimed: number;
  measured: Interval | null;
  /** Claimed value / claimed value of the reference row (null for the reference row itself). */
  claimedRatio: number | null;
  measuredRatio: RatioWithInterval | null;
  /** The claimed ratio lies outside the measured ratio's interval. */
  diverges: boolean | null;
  /** Repetitions of the measured row (or of the reference row) that were client-bound. */
  clientBound: boolean;
}

export interface ClaimsReport {
  source: string;
  condition: string;
  reference: string | null;
  rows: ClaimComparisonRow[];
  divergences: string[];
  /** Claim keys that matched no measured row. */
  unmatched: string[];
}

/** target/variant, then target with variant "default", then a target's only variant. */
function findRow(summary: SummaryRow[], key: string): SummaryRow | null {
  const exact = summary.find((r) => `${r.target}/${r.variant}` === key);
  if (exact) return exact;
  const byTarget = summary.filter((r) => r.target === key);
  return byTarget.find((r) => r.variant === "default") ?? (byTarget.length === 1 ? byTarget[0]! : null);
}

/** The row's interval of the metric: from the summary, or from the runs for a metric the summary
 *  does not keep (the mean latency). */
function measuredOf(result: ResultFile, row: SummaryRow, m: ClaimMetric): Interval | null {
  if (isSummaryKey(m.key)) return row[m.key];
  const values = result.runs.flatMap((r) => (r.status === "ok" && r.target === row.target && r.variant === row.variant ? [m.of(r)] : []));
  return summarize(values.filter((v): v is number => v !== null));
}

/** A claimed value in the metric's unit (claims of latency are in ms, measurements in µs). */
function claimedValue(c: ClaimRow, m: ClaimMetric): number | undefined {
  const v = c[m.claim.key];
  return v === undefined ? undefined : v * m.claim.scale;
}

function ratioOf(num: Interval, den: Interval): RatioWithInterval | null {
  if (den.median <= 0 || den.lo <= 0 || den.hi <= 0) return null;
  return { value: num.median / den.median, lo: num.lo / den.hi, hi: num.hi / den.lo };
}

export function buildClaimsReport(result: ResultFile, claims: Claims | null = result.scenario.claims): ClaimsReport | null {
  if (claims === null) return null;
  const ref = claims.reference ?? null;
  const refClaim = ref === null ? undefined : claims.rows[ref];
  const refRow = ref === null ? null : findRow(result.summary, ref);
  const rows: ClaimComparisonRow[] = [];
  const unmatched: string[] = [];
  const divergences: string[] = [];
  for (const [key, claim] of Object.entries(claims.rows)) {
    const row = findRow(result.summary, key);
    if (row === null) unmatched.push(key);
    for (const m of CLAIM_METRICS) {
      const claimed = claimedValue(claim, m);
      if (claimed === undefined) continue;
      const measured = row === null ? null : measuredOf(result, row, m);
      const isRef = key === ref;
      const refClaimed = refClaim === undefined ? undefined : claimedValue(refClaim, m);
      const claimedRatio = !isRef && refClaimed !== undefined && refClaimed > 0 ? claimed / refClaimed : null;
      const refMeasured = refRow === null ? null : measuredOf(result, refRow, m);
      const measuredRatio = !isRef && measured !== null && refMeasured !== null ? ratioOf(measured, refMeasured) : null;
      const diverges =
        claimedRatio !== null && measuredRatio !== null ? claimedRatio < measuredRatio.lo || claimedRatio > measuredRatio.hi : null;
      const clientBound = (row?.clientBoundRuns ?? 0) > 0 || (!isRef && (refRow?.clientBoundRuns ?? 0) > 0);
      rows.push({
        claimKey: key,
        target: row?.target ?? null,
        variant: row?.variant ?? null,
        metric: m.key,
        label: m.claim.label,
        unit: m.unit,
        claimed,
        measured,
        claimedRatio,
        measuredRatio,
        diverges,
        clientBound,
      });
      if (diverges && claimedRatio !== null && measuredRatio !== null) {
        const iv = measuredRatio.lo === measuredRatio.hi ? "" : ` (interval ${ratio(measuredRatio.lo)}-${ratio(measuredRatio.hi)})`;
        // Rows may be "target/variant", so a plain "a/b" would be ambiguous: "a vs b" reads either way.
        divergences.push(
          `${key}${key.includes("/") || (ref ?? "").includes("/") ? " vs " : "/"}${ref} ${m.claim.label}: claimed ${ratio(claimedRatio)}, measured ${ratio(measuredRatio.value)}${iv}${clientBound ? " [client-bound runs: the server was not the limit]" : ""}`,
        );
      }
    }
  }
  if (ref !== null && refRow === null) divergences.push(`reference row ${ref} was not measured: no ratios can be taken`);
  return { source: claims.source, condition: claims.condition, reference: ref, rows, divergences, unmatched };
}
