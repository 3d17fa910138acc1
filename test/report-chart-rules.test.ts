// Two of the report's chart rules (issue 27) on a real result (the t7-plain fixture): a GC chart
// whose every bar is 0 (targets without a GC) is not drawn, and a noisy row's bar is drawn pale
// with a dashed outline, a clean one solid.
import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { scenarioCharts } from "../src/report/charts.js";
import { buildHardwareReport } from "../src/report/model.js";
import { parseResult } from "../src/results/reader.js";
import { FIXTURES } from "./report-fixtures.js";

const FILE = path.join(FIXTURES, "fixture-2c-xeon", "20250103T100000Z-t7-plain.json");

/** The fixture's one scenario report after `edit` changed its raw result. */
function scenario(edit: (raw: Record<string, any>) => void) {
  const raw = JSON.parse(readFileSync(FILE, "utf8"));
  edit(raw);
  return buildHardwareReport(path.dirname(FILE), [parseResult(raw, FILE)]).scenarios[0]!;
}

const ids = (s: ReturnType<typeof scenario>) => scenarioCharts(s).map((c) => c.id.replace(/^t7-plain-/, ""));
const barsOf = (s: ReturnType<typeof scenario>, id: string) =>
  (scenarioCharts(s).find((c) => c.id === `t7-plain-${id}`)!.spec as { data: { values: { name: string; noisy: boolean }[] } }).data.values;

describe("report chart rules", () => {
  it("draws the GC chart while some row collects, and not when every row's GC/s is 0", () => {
    expect(ids(scenario(() => {}))).toContain("gc");
    const noGc = scenario((raw) => {
      for (const run of raw.runs) if (run.server) run.server.gcPerSec = 0;
      for (const row of raw.summary) if (row.gcPerSec) row.gcPerSec = { ...row.gcPerSec, median: 0, lo: 0, hi: 0 };
    });
    expect(ids(noGc)).not.toContain("gc");
    expect(ids(noGc)).toContain("rps");
  });

  it("marks a noisy row's bar and only that one", () => {
    const s = scenario((raw) => {
      const first = raw.runs.find((r: { status: string }) => r.status === "ok");
      for (const run of raw.runs)
        if (run.status === "ok" && run.target === first.target && run.variant === first.variant)
          run.verdict = {
            verdict: "noisy",
            reasons: [{ kind: "noisy", code: "foreign-cpu", message: "other processes used 40 % of CPUs 0,1 > 10 %" }],
          };
    });
    const bars = barsOf(s, "rps");
    expect(bars.filter((b) => b.noisy).length).toBe(1);
    expect(bars.length).toBeGreaterThan(1);
  });
});
