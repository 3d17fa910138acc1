// compare's honesty (issue 12): the change and its interval are shown also when not significant,
// a reason repeated on many rows is one footnote, the geometric mean of the changes per metric,
// and a regression gate that fails on new failed or invalid runs and says when it cannot trip.
// On the fixture result files (synthetic test data).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { compareCommand } from "../src/compare/index.js";
import type { Comparison } from "../src/compare/model.js";
import { FIXTURES } from "./report-fixtures.js";

const xeon = (f: string) => path.join(FIXTURES, "fixture-2c-xeon", f);
const C1 = xeon("20250101T100000Z-t7-plain.json");
const C2 = xeon("20250102T100000Z-t7-plain.json");
const C3 = xeon("20250103T100000Z-t7-plain.json"); // evio's rep 0 failed
const PIPELINED = xeon("20250103T120000Z-t7-pipelined.json"); // 3 repetitions
const base = { resultsDir: "results", cwd: process.cwd() };
const tmp = mkdtempSync(path.join(os.tmpdir(), "evbench-compare-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function json(oldPath: string, newPath: string, extra: { failOnRegressionPct?: number } = {}): Promise<Comparison> {
  const r = await compareCommand({ ...base, oldPath, newPath, format: "json", ...extra });
  return (JSON.parse(r.output) as { comparisons: Comparison[] }).comparisons[0]!;
}

describe("compare says what it knows", () => {
  it("shows the change and its interval on rows that are not significant", async () => {
    const r = await compareCommand({ ...base, oldPath: C1, newPath: C2, format: "text" });
    const native = r.output.split("\n").find((l) => l.startsWith("native ") && l.includes("n=5+5"))!;
    expect(native).toMatch(/[+-]\d+\.\d+% \[[+-]?[\d.]+%, [+-]?[\d.]+%\] ~ +\(p=0\.\d+ n=5\+5\)$/);
  });

  it("prints each verdict reason once, as a footnote the rows point at", async () => {
    const r = await compareCommand({ ...base, oldPath: C1, newPath: C2, format: "text" });
    const notes = r.output.split("\n").filter((l) => /^\s*\[\d+\] clientBound: /.test(l));
    expect(notes.length).toBeGreaterThan(0);
    expect(new Set(notes.map((l) => l.replace(/^\s*\[\d+\] /, ""))).size).toBe(notes.length);
    // The rows of the verdict table (after its header and rule, up to the blank line) point at each note.
    const after = r.output.slice(r.output.indexOf("\nverdict ") + 1).split("\n");
    const rows = after.slice(2, after.indexOf("")).join("\n");
    expect(rows).toMatch(/^nethttp +valid +valid$/m);
    for (const n of notes) expect(rows).toContain(/^\s*(\[\d+\])/.exec(n)![1]);
    expect(r.output.match(/saturated the CPUs it may use/g)!.length).toBe(notes.length);
  });

  it("gives the geometric mean of the changes per metric", async () => {
    const c = await json(C1, C2);
    const rps = c.metrics.find((m) => m.key === "rps")!;
    const logs = rps.rows.map((r) => Math.log(r.new!.median / r.old!.median));
    expect(rps.geomeanPct!).toBeCloseTo((Math.exp(logs.reduce((s, x) => s + x, 0) / logs.length) - 1) * 100, 9);
    const text = (await compareCommand({ ...base, oldPath: C1, newPath: C2, format: "text" })).output;
    expect(text).toMatch(/^geomean +[+-]\d+\.\d+%$/m);
  });
});

describe("--fail-on-regression", () => {
  it("fails when the new result has failed runs the old did not, even with no regression", async () => {
    const r = await compareCommand({ ...base, oldPath: C2, newPath: C3, format: "text", failOnRegressionPct: 1000 });
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain("regression gate (1000%): FAILED");
    expect(r.output).toContain("evio: 1 failed or invalid run in new, 0 in old");
    expect(r.output).not.toContain("passed");
    // The other way round the failure was already there: nothing new failed.
    expect((await json(C3, C2, { failOnRegressionPct: 1000 })).gate!.newFailures).toEqual([]);
  });

  it("fails when the new result has invalid runs (mostly non-2xx answers)", async () => {
    const o = JSON.parse(readFileSync(C2, "utf8"));
    const run = o.runs.find((r: { target: string; rep: number }) => r.target === "nethttp" && r.rep === 2);
    run.statusClasses = { "2xx": 10, "non-2xx": run.requests - 10 };
    const bad = path.join(tmp, "invalid.json");
    writeFileSync(bad, JSON.stringify(o));
    const c = await json(C2, bad, { failOnRegressionPct: 1000 });
    expect(c.gate!.status).toBe("failed");
    expect(c.gate!.newFailures).toEqual(["nethttp: 1 failed or invalid run in new, 0 in old"]);
    expect(c.verdicts.find((v) => v.name === "nethttp")!.new!.verdict).toBe("invalid");
  });

  it("says it cannot trip with 3 repetitions a side, instead of passing", async () => {
    const r = await compareCommand({ ...base, oldPath: PIPELINED, newPath: PIPELINED, format: "text", failOnRegressionPct: 5 });
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/regression gate \(5%\): CANNOT TRIP for .*\bgnet \(n=3\+3\)/);
    expect(r.output).toContain("cannot reach 0.05");
    expect(r.output).not.toContain("passed");
    expect((await json(PIPELINED, PIPELINED, { failOnRegressionPct: 5 })).gate!.status).toBe("inconclusive");
  });
});
