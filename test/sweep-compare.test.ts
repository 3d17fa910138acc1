// compare on knees (synthetic result data): each repetition's knee is one sample, so a knee that
// moved on every repetition is significant with its interval, and a regression trips the gate.
import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { computeComparison } from "../src/compare/compute.js";
import type { ResultFile, SweepRep, SweepResult } from "../src/model/index.js";
import { parseResultFile } from "../src/results/upgrade.js";
import { SWEEP_DEFAULTS } from "../src/sweep/settings.js";
import { parseSlo, type Slo } from "../src/model/index.js";
import { kneeOverReps } from "../src/sweep/knee.js";
import { FIXTURES } from "./report-fixtures.js";

const base = JSON.parse(readFileSync(path.join(FIXTURES, "fixture-2c-xeon", "20250101T100000Z-t7-plain.json"), "utf8")) as ResultFile;
const slo = parseSlo("p99=10ms") as Slo;

function sweep(knees: number[]): SweepResult {
  const reps: SweepRep[] = knees.map((k, i) => ({
    rep: i,
    startedAt: "",
    steps: [],
    stoppedBy: "every SLO broken",
    failure: null,
    saturationRps: null,
    knees: [{ slo: slo.label, rps: k, bound: "exact", firstFailRps: k * 1.05 }],
  }));
  return {
    target: "gnet",
    url: null,
    variant: "c16",
    load: base.runs.find((r) => r.status === "ok")!.load,
    settings: { ...SWEEP_DEFAULTS, slos: [slo.label] },
    reps,
    knee: [kneeOverReps(reps, slo)],
    saturationRps: null,
    verdict: { verdict: "valid", reasons: [] },
  };
}

function result(knees: number[]): ResultFile {
  return parseResultFile({ ...base, runs: [], summary: [], ratios: [], sweeps: [sweep(knees)] });
}

describe("compare knees", () => {
  it("compares each repetition's knee with the same statistics as the other metrics", () => {
    const c = computeComparison(
      { path: "old.json", result: result([10_000, 10_200, 9_900, 10_100, 10_050]) },
      { path: "new.json", result: result([8_000, 8_100, 7_900, 8_050, 8_020]) },
      { failOnRegressionPct: 5 },
    );
    const t = c.metrics.find((m) => m.key === "knee:p99<=10ms")!;
    expect(t.better).toBe("higher");
    const row = t.rows[0]!;
    expect(row.name).toBe("gnet/c16");
    expect(row.old!.median).toBe(10_050);
    expect(row.new!.median).toBe(8_020);
    expect(row.verdict.kind).toBe("significant");
    expect(row.regression).toBe(true);
    expect(c.gate!.tripped.map((x) => x.metric)).toContain("knee p99<=10ms");
  });

  it("says too few samples with one repetition a side", () => {
    const c = computeComparison({ path: "a", result: result([10_000]) }, { path: "b", result: result([9_000]) });
    expect(c.metrics.find((m) => m.key === "knee:p99<=10ms")!.rows[0]!.verdict.kind).toBe("too-few-samples");
  });
});
