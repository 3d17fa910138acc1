// The knees of a sweep result as a table (data; text, Markdown and HTML lay it out): one row per
// target, connection count and SLO, with the interval over repetitions, the saturation rate and
// the verdict.
import type { SweepResult } from "../model/index.js";
import { formatInterval as fmtInterval } from "../present/interval.js";
import { formatCount as fmtCount } from "../present/format.js";
import type { Table } from "../present/table.js";

function kneeCell(k: SweepResult["knee"][number]): string {
  if (k.bound === "none") return `none: ${k.note}`;
  return `${k.bound === "atLeast" ? ">= " : ""}${fmtInterval(k.rps, fmtCount)}`;
}

export function kneeTable(sweeps: readonly SweepResult[]): Table {
  const rows: string[][] = [];
  const rowClass: Array<string | null> = [];
  for (const sw of sweeps) {
    const steps = sw.reps.reduce((n, r) => n + r.steps.length, 0);
    for (const k of sw.knee) {
      rows.push([
        sw.target,
        String(sw.load.connections),
        k.slo,
        kneeCell(k),
        sw.saturationRps ? fmtInterval(sw.saturationRps, fmtCount) : "not reached",
        `${sw.reps.length} / ${steps}`,
        sw.verdict.verdict,
      ]);
      rowClass.push(sw.verdict.verdict === "clientBound" ? "cb" : null);
    }
  }
  return {
    header: ["target", "conns", "SLO", "knee req/s (median [interval])", "saturation req/s", "reps / steps", "verdict"],
    rows,
    alignRight: [1, 3, 4],
    rowClass,
  };
}

/** One line per verdict reason, naming the sweep. */
export function kneeReasons(sweeps: readonly SweepResult[]): string[] {
  return sweeps.flatMap((sw) => sw.verdict.reasons.map((r) => `${sw.target} ${sw.variant}: ${r.kind}: ${r.message}`));
}
