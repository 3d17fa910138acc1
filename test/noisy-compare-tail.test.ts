// compare judges the tail as it judges the median: p99 and p99.9 per repetition (Mann-Whitney,
// intervals), plus the merged histograms' p99 and p99.9 and whether they differ beyond the
// histograms' resolution; the gate trips on a tail (--fail-on-regression p99:5%). A regression
// is planted in a copy of a real recorded result: 2 % more answers, each 1.5x that run's p99 (a
// slower tail, the median all but unmoved); two real runs of one build are the noise.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { compareCommand, type Comparison } from "../src/compare/index.js";
import { decodeHistogram, encodeHistogram, latencySummary } from "../src/load/client-protocol.js";
import type { ResultFile } from "../src/model/index.js";
import { FIXTURES } from "./report-fixtures.js";

const A = path.join(FIXTURES, "recorded", "quick-node-http-a.json");
const B = path.join(FIXTURES, "recorded", "quick-node-http-b.json");
const dir = mkdtempSync(path.join(os.tmpdir(), "evbench-noisy-tail-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = { format: "json" as const, resultsDir: "results", cwd: process.cwd() };

function plantTailRegression(): string {
  const r = JSON.parse(readFileSync(A, "utf8")) as ResultFile;
  for (const run of r.runs) {
    if (run.status !== "ok") continue;
    const h = decodeHistogram(run.latencyHdr);
    h.recordValueWithCount(Math.round(run.latencyUs.p99 * 1.5), Math.ceil(h.totalCount * 0.02));
    run.latencyHdr = encodeHistogram(h);
    run.latencyUs = latencySummary(h);
  }
  const out = path.join(dir, "planted.json");
  writeFileSync(out, JSON.stringify(r));
  return out;
}

async function compare(oldPath: string, newPath: string, gate: string) {
  const r = await compareCommand({ ...base, oldPath, newPath, failOnRegression: gate });
  return { exitCode: r.exitCode, c: (JSON.parse(r.output) as { comparisons: Comparison[] }).comparisons[0]! };
}

describe("compare and the tail", () => {
  it("trips --fail-on-regression p99:5% on a planted p99 regression, with the tail beyond resolution", async () => {
    const planted = plantTailRegression();
    const { exitCode, c } = await compare(A, planted, "p99:5%");
    expect(exitCode).toBe(1);
    expect(c.gate!.status).toBe("failed");
    expect(c.gate!.thresholds).toBe("p99 5%");
    expect(c.gate!.tripped.map((t) => t.metric)).toEqual(["latency p99"]); // the median did not trip it
    const p99 = c.metrics.find((m) => m.key === "p99Us")!.rows[0]!;
    expect(p99.verdict.kind).toBe("significant");
    expect(c.metrics.find((m) => m.key === "p999Us")).toBeDefined(); // p99.9 is judged per repetition too
    const merged = c.tails!.find((t) => t.percentile === 99)!;
    expect(merged.beyondResolution).toBe(true);
    expect(merged.changePct).toBeGreaterThan(40);
  });

  it("does not trip on the noise between two runs of the same build", async () => {
    const a = JSON.parse(readFileSync(A, "utf8")) as ResultFile;
    const b = JSON.parse(readFileSync(B, "utf8")) as ResultFile;
    expect(b.git.commit).toBe(a.git.commit);
    const { exitCode, c } = await compare(A, B, "p99:5%,p99.9:5%");
    expect(c.gate!.tripped).toEqual([]);
    expect(c.gate!.status).toBe("passed");
    expect(exitCode).toBe(0);
    expect(c.tails!.map((t) => t.percentile)).toEqual([99, 99.9]);
  });

  it("refuses a gate naming no compared metric, in one line", async () => {
    await expect(compareCommand({ ...base, oldPath: A, newPath: B, failOnRegression: "p42:5%" })).rejects.toThrow(
      /no compared metric "p42" in "p42:5%"; use one of .*p99/,
    );
    await expect(compareCommand({ ...base, oldPath: A, newPath: B, failOnRegression: "p99:lots" })).rejects.toThrow(
      /expected a percentage/,
    );
  });
});
