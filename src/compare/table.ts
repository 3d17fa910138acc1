// The comparison as a document (src/present/doc.ts), built once and rendered as text or Markdown:
// one table per metric (benchstat's layout), the rows' verdicts with their reasons as footnotes
// (each reason once), and the gate. Formats numbers the model holds; computes nothing.
import { profileCompareBlocks } from "./profile.js";
import type { Block } from "../present/doc.js";
import { formatChangePct, formatValue, shortCommit } from "../present/format.js";
import { Footnotes, verdictCell } from "../present/footnotes.js";
import { formatSpread } from "../present/interval.js";
import type { Table } from "../present/table.js";
import type { Comparison, MetricRow, MetricTable, SampleSummary, SideInfo } from "./model.js";
import type { TailRow } from "./tail.js";

export const NOTE_CB = "cb";

function sampleCell(s: SampleSummary | null, t: MetricTable): string {
  if (s === null) return "-";
  const cb = s.clientBound > 0 ? ` ${NOTE_CB} ${s.clientBound}/${s.n}` : "";
  return `${formatValue(s.median, t.unit)}${formatSpread(s)}${cb}`;
}

/** The change and its bootstrap interval, always; "~" after it when not significant. */
function changeCell(r: MetricRow): string {
  if (r.deltaPct === null) return r.verdict.kind === "no-data" ? "-" : "~";
  const iv = r.deltaLoPct !== null && r.deltaHiPct !== null ? ` [${formatChangePct(r.deltaLoPct)}, ${formatChangePct(r.deltaHiPct)}]` : "";
  const mark = r.verdict.kind === "significant" ? (r.regression ? " (worse)" : "") : " ~";
  return `${formatChangePct(r.deltaPct)}${iv}${mark}`;
}

/** "(p=0.008 n=5+5)"; a reason shared by many rows ("too few samples") as a footnote, once. */
function evidenceCell(r: MetricRow, notes: Footnotes): string {
  const n = `n=${r.old?.n ?? 0}+${r.new?.n ?? 0}`;
  switch (r.verdict.kind) {
    case "significant":
    case "not-significant":
      return `(p=${r.verdict.p < 0.001 ? "<0.001" : r.verdict.p.toFixed(3)} ${n})`;
    case "too-few-samples":
      return `(${n} [${notes.ref(`too few samples (need >= ${r.verdict.need} per side): with fewer the exact Mann-Whitney p-value cannot reach the significance level, so no change can be called significant`)}])`;
    case "no-data":
      return `([${notes.ref(r.verdict.why)}])`;
  }
}

export function metricTable(t: MetricTable, notes: Footnotes): Table {
  const rows = t.rows.map((r) => [r.name, sampleCell(r.old, t), sampleCell(r.new, t), changeCell(r), evidenceCell(r, notes)]);
  if (t.geomeanPct !== null) rows.push(["geomean", "", "", formatChangePct(t.geomeanPct), ""]);
  return { header: [`${t.label} (${t.better} is better)`, "old", "new", "vs old", ""], rows, alignRight: [1, 2, 3] };
}

/** The merged histograms' tails: a change is "beyond resolution" when the two values' ranges of
 *  equivalent values (3 significant digits) do not overlap, else "within resolution". */
function tailTable(tails: TailRow[]): Table {
  const us = (x: number) => formatValue(x, "us");
  const rows = tails.map((t) => [
    t.name,
    `p${t.percentile}`,
    `${us(t.old.valueUs)} (n=${t.old.count})`,
    `${us(t.new.valueUs)} (n=${t.new.count})`,
    formatChangePct(t.changePct),
    t.beyondResolution ? "beyond resolution" : "within resolution",
  ]);
  return { header: ["tail, merged histograms", "", "old", "new", "vs old", "histograms"], rows, alignRight: [2, 3, 4] };
}

function verdictTable(c: Comparison, notes: Footnotes): Table {
  const cell = (v: Comparison["verdicts"][number]["old"]) => (v === null ? "-" : verdictCell(v, notes));
  return { header: ["verdict", "old", "new"], rows: c.verdicts.map((v) => [v.name, cell(v.old), cell(v.new)]) };
}

export function sideLine(label: string, s: SideInfo): string {
  const dirty = s.dirty ? ", dirty" : "";
  return `${label}: ${s.path}  (${s.scenario} on ${s.hardwareId}, commit ${shortCommit(s.commit)}${dirty}, ${s.createdAt})`;
}

export function legendLines(c: Comparison): string[] {
  const cells = c.metrics.flatMap((t) => t.rows.flatMap((r) => [r.old, r.new]));
  const out: string[] = [];
  if (cells.some((s) => s !== null && s.clientBound > 0)) {
    out.push(`${NOTE_CB} k/n: k of n repetitions were client-bound: the number describes the client, not the server`);
  }
  out.push(
    `~: the change is not significant (p > ${c.method.alpha}) or there are too few samples to tell; the change and its interval are shown all the same`,
  );
  out.push("geomean: the geometric mean of the rows' new/old medians, as a change");
  out.push(`medians: ${c.method.interval}`);
  out.push(`test: ${c.method.test}`);
  if (c.tails && c.tails.length > 0) {
    out.push(
      "tail, merged histograms: every repetition's histogram merged per side; \"beyond resolution\" says only that the two values' ranges of equivalent values (3 significant digits) do not overlap, so the histograms can tell them apart; whether the change is more than the repetitions' noise is the per-repetition test of the p99 and p99.9 tables, which is what the gate uses",
    );
  }
  return out;
}

export function gateLines(c: Comparison): string[] {
  const g = c.gate;
  if (g === null) return [];
  const head = `regression gate (${g.thresholds ?? `${g.thresholdPct}%`})`;
  const out: string[] = [];
  if (g.status === "failed") out.push(`${head}: FAILED`);
  out.push(...g.tripped.map((t) => `  ${t.metric} ${t.name}: ${t.worsePct.toFixed(1)}% worse`));
  out.push(...g.newFailures.map((f) => `  ${f}`));
  if (g.cannotTrip.length > 0) {
    out.push(
      `${head}: CANNOT TRIP for ${g.cannotTrip.join(", ")}: with fewer than 4 repetitions a side the exact Mann-Whitney p-value cannot reach ${c.method.alpha}; measure with more repetitions (--reps 5)`,
    );
  }
  if (g.status === "passed") out.push(`${head}: passed`);
  return out;
}

export function comparisonBlocks(c: Comparison): Block[] {
  const notes = new Footnotes();
  const list = (items: string[], title?: string): Block[] =>
    items.length === 0 ? [] : [{ kind: "list", items: items.map((i) => [i]), ...(title ? { title } : {}) }];
  const blocks: Block[] = [
    {
      kind: "list",
      items: [
        [sideLine("old", c.old)],
        [sideLine("new", c.new)],
        ...c.notes.map((n) => [`note: ${n}`]),
        ...c.warnings.map((w) => [`warning: ${w}`]),
        ...c.unmatched.map((u) => [`unmatched: ${u.variant === "default" ? u.target : `${u.target}/${u.variant}`} only in ${u.side}`]),
      ],
    },
    ...c.metrics.map((t): Block => ({ kind: "table", table: metricTable(t, notes) })),
  ];
  if (c.verdicts.length > 0) blocks.push({ kind: "table", table: verdictTable(c, notes) });
  if (c.tails && c.tails.length > 0) blocks.push({ kind: "table", table: tailTable(c.tails) });
  blocks.push(...profileCompareBlocks(c.profiles));
  blocks.push(...list(notes.lines()), ...list(legendLines(c)), ...list(gateLines(c)));
  return blocks;
}
