// compare's profile part: for each row profiled on both sides (bench --profile), the functions
// whose share of CPU time changed most. Computed from the profile files beside each result.
import { dirname } from "node:path";

import type { Block } from "../present/doc.js";
import type { Table } from "../present/table.js";
import { pool, shareChanges, type ShareChange } from "../profile/diff.js";
import type { Folded } from "../profile/folded.js";
import { loadRunProfiles } from "../profile/load.js";
import type { ResultFile, RunOk, RunProfile } from "../model/index.js";

const TOP = 10;

export interface ProfileComparison {
  target: string;
  variant: string;
  unit: string;
  /** Runs pooled and samples taken on each side (few samples: small changes are noise). */
  old: { runs: number; samples: number | null };
  new: { runs: number; samples: number | null };
  changes: ShareChange[];
}

type Profiled = RunOk & { profile: RunProfile };

function cpuByRow(resultPath: string, r: ResultFile): Map<string, Folded[]> {
  const dir = dirname(resultPath);
  const rows = new Map<string, Folded[]>();
  for (const run of r.runs) {
    if (run.status !== "ok" || !run.profile?.cpu) continue;
    const cpu = loadRunProfiles(dir, (run as Profiled).profile).cpu;
    if (!cpu) continue;
    const key = `${run.target}\u0000${run.variant}`;
    rows.set(key, [...(rows.get(key) ?? []), cpu]);
  }
  return rows;
}

/** Rows with CPU profiles on both sides; empty when either side was not profiled. */
export function compareProfiles(
  oldSide: { path: string; result: ResultFile },
  newSide: { path: string; result: ResultFile },
): ProfileComparison[] {
  const before = cpuByRow(oldSide.path, oldSide.result);
  const after = cpuByRow(newSide.path, newSide.result);
  const out: ProfileComparison[] = [];
  for (const [key, newProfiles] of after) {
    const oldProfiles = before.get(key);
    const a = pool(oldProfiles ?? []);
    const b = pool(newProfiles);
    if (!a || !b || a.unit !== b.unit) continue;
    const [target, variant] = key.split("\u0000") as [string, string];
    out.push({
      target,
      variant,
      unit: b.unit,
      old: { runs: oldProfiles!.length, samples: a.samples },
      new: { runs: newProfiles.length, samples: b.samples },
      changes: shareChanges(a, b, TOP),
    });
  }
  return out;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const pp = (x: number) => `${x >= 0 ? "+" : "-"}${Math.abs(100 * x).toFixed(1)} pp`;

function changeTable(p: ProfileComparison): Table {
  return {
    header: ["function", "flat old", "flat new", "Δ flat", "cum old", "cum new", "Δ cum"],
    rows: p.changes.map((c) => [
      c.name,
      pct(c.oldFlat),
      pct(c.newFlat),
      pp(c.newFlat - c.oldFlat),
      pct(c.oldCum),
      pct(c.newCum),
      pp(c.newCum - c.oldCum),
    ]),
    alignRight: [1, 2, 3, 4, 5, 6],
    wrap: [0],
  };
}

const side = (s: ProfileComparison["old"]) => `${s.runs} run(s)${s.samples === null ? "" : `, ${s.samples} samples`}`;

export function profileCompareBlocks(ps: ProfileComparison[] | undefined): Block[] {
  if (!ps || ps.length === 0) return [];
  return ps.flatMap((p): Block[] => [
    {
      kind: "para",
      spans: [
        `Profiles of ${p.variant === "default" ? p.target : `${p.target}/${p.variant}`}: the functions whose share of CPU time changed most (old ${side(p.old)}; new ${side(p.new)}; shares of each side's own total, pp = percentage points):`,
      ],
    },
    { kind: "table", table: changeTable(p) },
  ]);
}
