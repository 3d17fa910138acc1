// The comparison as tables of strings: the one table builder shared by the text and Markdown
// exporters (hyperfine's pattern). Formats numbers the model already holds; computes nothing.
import { formatValue, pct, shortCommit } from "../report/format.js";
import type { Table } from "../report/table.js";
import type { Comparison, MetricRow, MetricTable, SampleSummary, SideInfo } from "./model.js";

/** Footnotes used in the cells, printed once under the tables. */
export const NOTE_MINMAX = "¹";
export const NOTE_CB = "cb";

export { rowName } from "./compute.js";

function sampleCell(s: SampleSummary | null, t: MetricTable): string {
  if (s === null) return "-";
  const spread = s.median === 0 ? 0 : (Math.max(s.hi - s.median, s.median - s.lo) / Math.abs(s.median)) * 100;
  const plusMinus = s.n === 1 || s.lo === s.hi ? "" : ` ± ${spread < 10 ? spread.toFixed(1) : spread.toFixed(0)}%${s.intervalReached ? "" : NOTE_MINMAX}`;
  const cb = s.clientBound > 0 ? ` ${NOTE_CB} ${s.clientBound}/${s.n}` : "";
  return `${formatValue(s.median, t.unit)}${plusMinus}${cb}`;
}

function changeCell(r: MetricRow): string {
  if (r.verdict.kind !== "significant" || r.deltaPct === null) return "~";
  const iv = r.deltaLoPct !== null && r.deltaHiPct !== null ? ` [${pct(r.deltaLoPct)}, ${pct(r.deltaHiPct)}]` : "";
  return `${pct(r.deltaPct)}${iv}${r.regression ? " (worse)" : ""}`;
}

function evidenceCell(r: MetricRow): string {
  const n = `n=${r.old?.n ?? 0}+${r.new?.n ?? 0}`;
  switch (r.verdict.kind) {
    case "significant":
    case "not-significant":
      return `(p=${r.verdict.p < 0.001 ? "<0.001" : r.verdict.p.toFixed(3)} ${n})`;
    case "too-few-samples":
      return `(too few samples (need >= ${r.verdict.need} per side) ${n})`;
    case "no-data":
      return `(${r.verdict.why})`;
  }
}

export function metricTable(t: MetricTable): Table {
  return {
    header: [`${t.label} (${t.better} is better)`, "old", "new", "vs old", ""],
    rows: t.rows.map((r) => [r.name, sampleCell(r.old, t), sampleCell(r.new, t), changeCell(r), evidenceCell(r)]),
  };
}

export function sideLine(label: string, s: SideInfo): string {
  const dirty = s.dirty ? ", dirty" : "";
  return `${label}: ${s.path}  (${s.scenario} on ${s.hardwareId}, commit ${shortCommit(s.commit)}${dirty}, ${s.createdAt})`;
}

export function footnotes(c: Comparison): string[] {
  const cells = c.metrics.flatMap((t) => t.rows.flatMap((r) => [r.old, r.new]));
  const out: string[] = [];
  if (cells.some((s) => s !== null && !s.intervalReached && s.n > 1)) {
    out.push(`${NOTE_MINMAX} min..max: with fewer than 6 samples no order-statistic interval reaches 95 %`);
  }
  if (cells.some((s) => s !== null && s.clientBound > 0)) {
    out.push(`${NOTE_CB} k/n: k of n repetitions were client-bound (client CPU >= 95 %): the number describes the client, not the server`);
  }
  out.push(`~: no significant change (p > ${c.method.alpha}) or too few samples`);
  out.push(`medians: ${c.method.interval}`);
  out.push(`test: ${c.method.test}`);
  return out;
}

export function gateLines(c: Comparison): string[] {
  if (c.gate === null) return [];
  if (c.gate.tripped.length === 0) return [`regression gate (${c.gate.thresholdPct}%): passed`];
  return [
    `regression gate (${c.gate.thresholdPct}%): FAILED`,
    ...c.gate.tripped.map((t) => `  ${t.metric} ${t.name}: ${t.worsePct.toFixed(1)}% worse`),
  ];
}
