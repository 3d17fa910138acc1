// The connection-scaling section (issue 22), as tables of the one table builder: per target and
// level the measured medians, each curve's end and its reason; then the cost model (slope and
// intercept with their 95 % intervals) and its values at 100k and 1M connections, every one
// labelled projected, beside the claim the scenario names. bench prints it; the report shows it.
import { metric } from "../model/index.js";
import type { Block } from "../present/doc.js";
import { formatValue } from "../present/format.js";
import type { Table } from "../present/table.js";
import type { ResultFile, RunOk } from "../model/index.js";
import { levelName } from "../scaling/levels.js";
import { median } from "../stats/index.js";
import { FIT_METRICS, type Curve, type LinearFit, type Projection, type ScalingResult } from "../model/index.js";

/** The level table's measured columns, registry keys, in order. */
const LEVEL_COLUMNS = [
  "userBytesPerConn",
  "kernelBytesPerConn",
  "p50Us",
  "p99Us",
  "p999Us",
  "cpuUsPerReq",
  "gcPerSec",
  "gcCpuPct",
  "goroutines",
  "acceptPerSec",
  "listenOverflows",
  "listenDrops",
] as const;

/** Columns that describe answered requests: a run that answered none has no value there. */
const PER_REQUEST = new Set<string>(["p50Us", "p99Us", "p999Us", "cpuUsPerReq"]);

function cell(key: string, runs: readonly RunOk[]): string {
  const m = metric(key)!;
  const measured = PER_REQUEST.has(key) ? runs.filter((r) => r.requests > 0) : runs;
  const v = median(measured.map((r) => m.of(r)).filter((x): x is number => x !== null));
  return v === null ? "-" : formatValue(v, m.unit);
}

function levelRows(result: ResultFile, c: Curve, levels: readonly number[]): string[][] {
  const rows: string[][] = [];
  const name = c.variant === "default" ? c.target : `${c.target}/${c.variant}`;
  for (const n of levels) {
    if (c.stoppedAt !== null && n > c.stoppedAt) break;
    const runs = result.runs.filter((r): r is RunOk => r.status === "ok" && r.target === c.target && r.variant === levelName(c.variant, n));
    const held = runs.length > 0 ? String(Math.min(...runs.map((r) => r.connections?.held ?? 0))) : "-";
    const invalid = runs.flatMap((r) =>
      r.verdict?.verdict === "invalid" ? r.verdict.reasons.filter((x) => x.kind === "invalid").map((x) => x.code) : [],
    );
    const note = invalid.length > 0 ? `invalid (${[...new Set(invalid)].join(", ")})` : "";
    const end = n === c.stoppedAt ? `stopped: ${c.reason}` : [n === c.reached ? "last level held" : "", note].filter(Boolean).join("; ");
    rows.push([name, String(n), held, ...LEVEL_COLUMNS.map((k) => (runs.length > 0 ? cell(k, runs) : "-")), end]);
  }
  return rows;
}

export function levelsTable(result: ResultFile): Table | null {
  const s = result.scaling;
  if (!s) return null;
  return {
    header: ["target", "connections", "held", ...LEVEL_COLUMNS.map((k) => metric(k)!.column), "curve"],
    rows: s.curves.flatMap((c) => levelRows(result, c, s.levels)),
    alignRight: [1, 2, ...LEVEL_COLUMNS.map((_, i) => i + 3)],
    wrap: [LEVEL_COLUMNS.length + 3],
    names: [0],
  };
}

/** "76.3 MiB [71.9, 80.6]": the interval's bounds lose the unit when it is the value's. */
function withCi(v: number, ci: [number, number] | null, unit: Parameters<typeof formatValue>[1]): string {
  const value = formatValue(v, unit);
  if (!ci) return `${value} [needs 3 points]`;
  const bounds = ci.map((x) => formatValue(x, unit));
  const suffix = unitSuffix(value);
  const same = suffix !== "" && bounds.every((b) => unitSuffix(b) === suffix);
  const shown = same ? bounds.map((b) => b.slice(0, -suffix.length)) : bounds;
  return `${value} [${shown.join(", ")}]`;
}

/** " MiB" of "76.3 MiB", "" of a bare number. */
function unitSuffix(formatted: string): string {
  const at = formatted.lastIndexOf(" ");
  return at < 0 ? "" : formatted.slice(at);
}

/** A memory total's slope is its cost per connection; CPU per request's is read per 1k connections. */
function fitCells(fit: LinearFit | null, unit: Parameters<typeof formatValue>[1], total: boolean): string[] {
  if (!fit) return ["-", "-"];
  const k = total ? 1 : 1000;
  const slope = withCi(fit.slope * k, fit.slopeCi && [fit.slopeCi[0] * k, fit.slopeCi[1] * k], unit);
  return [withCi(fit.intercept, fit.interceptCi, unit), `${slope} ${total ? "per conn" : "per 1k conn"}`];
}

/** A memory total also per connection (total / N): the handbook's claims are per connection.
 *  "projected" is in the column's header, so every cell of it is read as one. */
function projectionCell(p: Projection | undefined, unit: Parameters<typeof formatValue>[1], total: boolean): string {
  if (!p) return "-";
  const perConn = total ? `, ${formatValue(p.value / p.connections, unit)}/conn` : "";
  return `${withCi(p.value, p.ci, unit)}${perConn}`;
}

export function projectionsTable(s: ScalingResult): Table | null {
  if (s.projectTo.length === 0) return null;
  const rows = s.curves.flatMap((c) =>
    FIT_METRICS.map((k) => {
      const unit = metric(k)!.unit;
      const name = c.variant === "default" ? c.target : `${c.target}/${c.variant}`;
      const total = k !== "cpuUsPerReq";
      return [
        name,
        metric(k)!.label,
        String(c.fits[k]?.n ?? 0),
        ...fitCells(c.fits[k] ?? null, unit, total),
        ...s.projectTo.map((x) =>
          projectionCell(
            c.projections[k]?.find((p) => p.connections === x),
            unit,
            total,
          ),
        ),
      ];
    }),
  );
  return {
    header: [
      "target",
      "metric",
      "points",
      "intercept [95 % CI]",
      "slope [95 % CI]",
      ...s.projectTo.map((x) => `at ${formatValue(x, "count")} conn (projected)`),
    ],
    rows,
    names: [0],
  };
}

export function scalingBlocks(result: ResultFile): Block[] {
  const s = result.scaling;
  const levels = levelsTable(result);
  if (!s || !levels) return [];
  const out: Block[] = [
    { kind: "heading", level: 3, text: "Connection levels" },
    {
      kind: "para",
      tone: "note",
      spans: [
        "Medians over repetitions per level; user and kernel memory per connection are the growth from before the ramp to the window's start, over N. A target's curve ends at the first level it could not hold, with the reason.",
      ],
    },
    { kind: "table", table: levels, className: "summary" },
  ];
  const proj = projectionsTable(s);
  if (proj) {
    out.push({ kind: "heading", level: 3, text: "Past the limit, by the cost model (projected, never measured)" });
    if (s.claim) out.push({ kind: "para", spans: [`The claim (${s.claim.source}): "${s.claim.text}".`] });
    out.push({
      kind: "para",
      tone: "warn",
      spans: [
        { strong: "Projected" },
        `: a least-squares line against the connection count over the measured levels (every repetition a point) of the memory held in total (its slope: the bytes per connection) and of the CPU per request, evaluated at ${s.projectTo.map((x) => formatValue(x, "count")).join(" and ")} connections. It assumes the cost stays linear past the last level, which nothing here measured.`,
      ],
    });
    out.push({ kind: "table", table: proj });
  }
  return out;
}
