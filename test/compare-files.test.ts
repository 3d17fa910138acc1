// compare on two fixture result files (synthetic test data): the table, the verdicts, the
// warnings, the regression gate and the three output formats.
import path from "node:path";

import { describe, expect, it } from "vitest";

import { compareCommand } from "../src/compare/index.js";
import type { Comparison } from "../src/compare/model.js";
import { FIXTURES } from "./report-fixtures.js";

const xeon = (f: string) => path.join(FIXTURES, "fixture-2c-xeon", f);
const C1 = xeon("20250101T100000Z-t7-plain.json");
const C2 = xeon("20250102T100000Z-t7-plain.json");
const PIPELINED = xeon("20250103T120000Z-t7-pipelined.json");
const EPYC = path.join(FIXTURES, "fixture-4c-epyc", "20250104T100000Z-t7-plain.json");
const base = { resultsDir: "results", cwd: process.cwd() };

async function json(oldPath: string, newPath: string, extra: { failOnRegressionPct?: number } = {}): Promise<Comparison> {
  const r = await compareCommand({ ...base, oldPath, newPath, format: "json", ...extra });
  return (JSON.parse(r.output) as { comparisons: Comparison[] }).comparisons[0]!;
}

const row = (c: Comparison, metric: string, target: string) =>
  c.metrics.find((m) => m.key === metric)!.rows.find((r) => r.target === target)!;

describe("compare two result files", () => {
  it("finds the changes the fixtures were generated with, and nothing where there was none", async () => {
    // Fixture commit 2: gnet's base req/s 140k -> 152k, net/http 82k -> 74k with more RSS and GC.
    const c = await json(C1, C2);
    const gnet = row(c, "rps", "gnet");
    expect(gnet.verdict.kind).toBe("significant");
    expect(gnet.deltaPct!).toBeGreaterThan(0);
    expect(gnet.regression).toBe(false);
    expect(gnet.deltaLoPct!).toBeLessThanOrEqual(gnet.deltaPct!);
    expect(gnet.deltaHiPct!).toBeGreaterThanOrEqual(gnet.deltaPct!);
    const nethttp = row(c, "rps", "nethttp");
    expect(nethttp.verdict.kind).toBe("significant");
    expect(nethttp.regression).toBe(true); // req/s: lower is worse
    expect(row(c, "rssPeakBytes", "nethttp").regression).toBe(true); // RSS: higher is worse
    expect(row(c, "p50Us", "gnet").regression).toBe(false); // latency went down: better
    // The medians are the medians of the runs' values.
    expect(gnet.old!.n).toBe(5);
    // 5 vs 5 with no change built in: the exact test's smallest p is 2/252, so "~" unless p <= 0.05.
    expect(row(c, "allocBytesPerReq", "native").verdict.kind).toBe("no-data");
  });

  it("prints a benchstat-style text table with ~, p-values and client-bound marks", async () => {
    const r = await compareCommand({ ...base, oldPath: C1, newPath: C2, format: "text" });
    expect(r.exitCode).toBe(0);
    const gnetLine = r.output.split("\n").find((l) => l.startsWith("gnet ") && l.includes("p="))!;
    expect(gnetLine).toMatch(/\+\d+\.\d+% \[\+[\d.]+%, \+[\d.]+%\] +\(p=0\.008 n=5\+5\)/);
    expect(gnetLine).toContain("cb ");
    expect(r.output).toMatch(/^native .* ~ +\(p=[\d.]+ n=5\+5\)$/m);
    expect(r.output).toContain("warning: old has client-bound runs");
    expect(r.output).toContain("gnet/default (rep");
    expect(r.output).toContain("Mann-Whitney U");
  });

  it("with 3 repetitions a side says too few samples, as benchstat", async () => {
    const r = await compareCommand({ ...base, oldPath: PIPELINED, newPath: PIPELINED, format: "text" });
    // The reason is one footnote that every row points at.
    const ref = /^gnet .* ~ +\(n=3\+3 (\[\d+\])\)$/m.exec(r.output)![1]!;
    expect(r.output).toMatch(/^native .* ~ +\(n=3\+3 \[\d+\]\)$/m);
    expect(r.output.split("\n").filter((l) => l.trim().startsWith("[") && l.includes("too few samples"))).toEqual([
      `  ${ref} too few samples (need >= 4 per side): with fewer the exact Mann-Whitney p-value cannot reach the significance level, so no change can be called significant`,
    ]);
    expect(r.output).not.toMatch(/p=0\.0/);
  });

  it("--fail-on-regression trips on a significant regression larger than the threshold", async () => {
    const c = await json(C1, C2);
    const worst = Math.max(...c.metrics.flatMap((m) => m.rows.filter((x) => x.regression).map((x) => x.worsePct!)));
    const tripped = await compareCommand({ ...base, oldPath: C1, newPath: C2, format: "text", failOnRegressionPct: worst - 1 });
    expect(tripped.exitCode).toBe(1);
    expect(tripped.output).toContain("FAILED");
    const passed = await compareCommand({ ...base, oldPath: C1, newPath: C2, format: "text", failOnRegressionPct: worst + 1 });
    expect(passed.exitCode).toBe(0);
    expect(passed.output).toContain("passed");
    // Improvements never trip the gate: new -> old turns nethttp's regression into an improvement,
    // and gnet's improvement into a regression.
    const reverse = await json(C2, C1, { failOnRegressionPct: 0 });
    expect(reverse.gate!.tripped.some((t) => t.target === "nethttp" && t.metric === "req/s")).toBe(false);
    expect(reverse.gate!.tripped.some((t) => t.target === "gnet" && t.metric === "req/s")).toBe(true);
  });

  it("warns about different hardware and names what differs", async () => {
    const c = await json(C1, EPYC);
    const w = c.warnings.join("\n");
    expect(w).toContain("different hardware ids: fixture-2c-xeon vs fixture-4c-epyc");
    for (const k of [
      "cpuModel",
      "cores: 2 -> 4",
      "kernel",
      "sysctl.net.core.somaxconn",
      "go:",
      "targets.gnet.github.com/panjf2000/gnet/v2",
    ])
      expect(w).toContain(k);
    expect(w).not.toContain("hostname");
  });

  it("compares the scenario's ratios between rows over their per-repetition values", async () => {
    const c = await json(C1, C2);
    const t = c.metrics.find((m) => m.key === "ratio:rps")!;
    const r = t.rows.find((x) => x.name === "gnet / nethttp")!;
    // Fixture commit 2 made gnet faster and net/http slower: the ratio went up, significantly.
    expect(r.old!.n).toBe(5);
    expect(r.verdict.kind).toBe("significant");
    expect(r.deltaPct!).toBeGreaterThan(0);
    expect(c.metrics.find((m) => m.key === "ratio:serverReqPerCpuSec")!.rows[0]!.name).toBe("native / gnet");
  });

  it("prints Markdown tables", async () => {
    const r = await compareCommand({ ...base, oldPath: C1, newPath: C2, format: "markdown" });
    expect(r.output).toContain("| req/s (higher is better) | old | new | vs old |  |");
    expect(r.output).toContain("| --- | ---: | ---: | ---: | --- |");
  });
});
