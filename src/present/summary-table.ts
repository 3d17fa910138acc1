// The summary table of one result, built once for the terminal (`bench`) and the report: a row
// per target and variant, req/s with its interval, the other summary metrics of the registry by
// their medians, the verdict with its reasons as footnotes, and how many runs failed.
import { SUMMARY_METRICS, type SummaryMetricKey } from "../model/index.js";
import { rowVerdictOf } from "../verdict/index.js";
import type { LoadSettings, ResultFile, SummaryRow, Verdict } from "../model/index.js";
import { formatRatio, formatValue } from "./format.js";
import { type Footnotes, verdictCell } from "./footnotes.js";
import { formatInterval, formatIntervalBare, intervalKind } from "./interval.js";
import type { Table } from "./table.js";

export const rowName = (target: string, variant: string): string => (variant === "default" ? target : `${target}/${variant}`);

/** "native c16 p1", "wrk c64 p1 @50000/s no-ka": how a row was loaded, when rows load differently. */
export function loadLabel(l: LoadSettings | undefined): string {
  if (!l) return "";
  return `${l.generator} c${l.connections} p${l.pipeline}${l.rate ? ` @${l.rate}/s` : ""}${l.keepAlive ? "" : " no-ka"}`;
}

/** The row named `key` ("target/variant" or "target" for its default variant). */
export function findSummaryRow(summary: readonly SummaryRow[], key: string): SummaryRow | undefined {
  const [target, variant = "default"] = key.split("/", 2);
  return summary.find((x) => x.target === target && x.variant === variant);
}

function runsCell(s: SummaryRow): string {
  const parts = [`${s.okRuns} ok`];
  if (s.failedRuns > 0) parts.push(`${s.failedRuns} failed`);
  if (s.skippedRuns > 0) parts.push(`${s.skippedRuns} skipped`);
  return parts.join(", ");
}

/** A row without one successful run: what happened to its runs, as a footnote. */
function failedCell(r: ResultFile, s: SummaryRow, notes: Footnotes): string {
  const other = r.runs.find((x) => x.target === s.target && x.variant === s.variant && x.status !== "ok");
  if (other?.status === "skipped") return `skipped [${notes.ref(`skipped: ${other.reason}`)}]`;
  const why = other?.status === "failed" ? other.failure.split("\n")[0]! : "no run succeeded";
  return `failed [${notes.ref(`failed: ${why}`)}]`;
}

/** The HTML class of a row by its verdict (the report colours client-bound rows). */
const ROW_CLASS: Record<Verdict["verdict"], string | null> = { valid: null, noisy: "noisy", clientBound: "cb", invalid: "invalid" };

/** Which columns: every summary metric (the default, and the report), or only the metrics named
 *  (the terminal's compact table): then without the load, the reference ratio and the runs
 *  column, and with the interval's kind in the header when every row has the same kind. */
export interface SummaryColumns {
  only?: readonly string[];
}

/** The req/s column's header and cells: the kind once in the header where the rows share it. */
function rpsColumn(r: ResultFile, compact: boolean): { header: string; cell: (s: SummaryRow) => string } {
  const fmt = (v: number) => formatValue(v, "req/s");
  // Rows without a measurement (failed, skipped) print "-" and say nothing about the kind.
  const kinds = new Set(r.summary.filter((s) => s.rps !== null).map((s) => intervalKind(s.rps!.n)));
  const [only] = kinds;
  if (!compact || kinds.size !== 1) return { header: "req/s median (interval)", cell: (s) => formatInterval(s.rps, fmt) };
  return { header: only ? `req/s [${only}]` : "req/s", cell: (s) => formatIntervalBare(s.rps, fmt) };
}

export function summaryTable(r: ResultFile, notes: Footnotes, columns: SummaryColumns = {}): Table {
  const compact = columns.only !== undefined;
  const perRowLoad = !compact && new Set(r.runs.map((x) => JSON.stringify(x.load))).size > 1;
  const rps = rpsColumn(r, compact);
  const refName = compact ? null : (r.scenario.claims?.reference ?? null);
  const refRps = refName === null ? null : (findSummaryRow(r.summary, refName)?.rps?.median ?? null);
  // A metric no row measured (RSS swing in a file written before it existed, GC for C targets
  // only) would be a column of dashes: it is left out.
  const others = SUMMARY_METRICS.filter(
    (m) => m.key !== "rps" && (columns.only?.includes(m.key) ?? true) && r.summary.some((s) => s[m.key as SummaryMetricKey] !== null),
  );
  const tail = compact ? ["verdict"] : ["verdict", "runs"];
  const header = [
    "target",
    ...(perRowLoad ? ["load"] : []),
    rps.header,
    ...(refName ? [`vs ${refName}`] : []),
    ...others.map((m) => m.column),
    ...tail,
  ];
  const firstMetric = 1 + (perRowLoad ? 1 : 0);
  const rows = r.summary.map((s) => {
    const load = perRowLoad ? [loadLabel(r.runs.find((x) => x.target === s.target && x.variant === s.variant)?.load)] : [];
    const vsRef = refName ? [refRps && s.rps ? formatRatio(s.rps.median / refRps) : "-"] : [];
    const values = others.map((m) => {
      const iv = s[m.key as SummaryMetricKey];
      return iv === null ? "-" : formatValue(iv.median, m.unit);
    });
    const verdict = s.okRuns === 0 ? failedCell(r, s, notes) : verdictCell(rowVerdictOf(s, r.runs), notes);
    return [rowName(s.target, s.variant), ...load, rps.cell(s), ...vsRef, ...values, verdict, ...(compact ? [] : [runsCell(s)])];
  });
  return {
    header,
    rows,
    alignRight: header.map((_, i) => i).filter((i) => i >= firstMetric && i < header.length - tail.length),
    names: perRowLoad ? [0, 1] : [0],
    rowClass: r.summary.map((s) => (s.okRuns === 0 ? "failed" : ROW_CLASS[rowVerdictOf(s, r.runs).verdict])),
  };
}
