// Knees in `compare`: one metric table per SLO ("knee p99<=10ms", req/s, higher is better), one
// row per swept target and connection count, the samples being each repetition's knee, so the
// same statistics as every other metric apply (median interval, bootstrap ratio, Mann-Whitney U).
import type { MetricRow, MetricTable } from "./model.js";
import type { ResultFile, SweepResult } from "../model/index.js";

export interface KneeRowInput {
  name: string;
  target: string;
  variant: string;
  better: "higher" | "lower";
  old: Array<{ v: number; cb: boolean }>;
  new: Array<{ v: number; cb: boolean }>;
  oldMissing: string;
  newMissing: string;
}

function samples(sw: SweepResult | undefined, slo: string) {
  return (sw?.reps ?? []).flatMap((r) => {
    const k = r.knees.find((x) => x.slo === slo);
    return k && k.rps !== null ? [{ v: k.rps, cb: k.bound === "atLeast" }] : [];
  });
}

export function kneeTables(a: ResultFile, b: ResultFile, compareRow: (x: KneeRowInput) => MetricRow): MetricTable[] {
  const key = (sw: SweepResult) => `${sw.target}\u0000${sw.variant}`;
  const oldBy = new Map((a.sweeps ?? []).map((sw) => [key(sw), sw]));
  const common = (b.sweeps ?? []).filter((sw) => oldBy.has(key(sw)));
  const slos = [...new Set(common.flatMap((sw) => sw.knee.map((k) => k.slo)))];
  return slos.map((slo) => ({
    key: `knee:${slo}`,
    label: `knee ${slo}`,
    unit: "req/s",
    better: "higher",
    geomeanPct: null,
    rows: common.map((sw) => {
      const old = oldBy.get(key(sw));
      return compareRow({
        name: `${sw.target}/${sw.variant}`,
        target: sw.target,
        variant: sw.variant,
        better: "higher",
        old: samples(old, slo),
        new: samples(sw, slo),
        oldMissing: "no knee in old",
        newMissing: "no knee in new",
      });
    }),
  }));
}
