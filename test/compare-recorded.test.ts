// The runner's real output (test/fixtures/results/recorded/, see NOTE.md there) must read,
// compare and report: this pins compare/report to the format the runner writes, not to the
// synthetic fixtures alone.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { compareCommand } from "../src/compare/index.js";
import { reportCommand } from "../src/report/index.js";
import { readResultFile } from "../src/results/reader.js";
import { FIXTURES } from "./report-fixtures.js";

const A = path.join(FIXTURES, "recorded", "quick-node-http-a.json");
const B = path.join(FIXTURES, "recorded", "quick-node-http-b.json");

describe("results written by the runner", () => {
  it("read, with claims: null taken as no claims", async () => {
    const r = await readResultFile(A);
    expect(r.claims).toBeNull();
    expect(r.result.runs.length).toBeGreaterThanOrEqual(4);
  });

  it("compare", async () => {
    const r = await compareCommand({ oldPath: A, newPath: B, format: "text", resultsDir: "results", cwd: process.cwd() });
    expect(r.exitCode).toBe(0);
    expect(r.output).toMatch(/^node-http .*\(p=[\d.]+ n=4\+4\)$/m);
  });

  it("report", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "evbench-recorded-"));
    try {
      const { result } = await readResultFile(A);
      const hw = path.join(dir, result.env.hardwareId);
      mkdirSync(hw);
      cpSync(A, path.join(hw, "a.json"));
      cpSync(B, path.join(hw, "b.json"));
      const { written } = await reportCommand({ paths: [], resultsDir: dir });
      expect(written).toHaveLength(4); // report.md, report.html, report-quick.html, index.html
      const html = readFileSync(path.join(hw, "report-quick.html"), "utf8");
      expect(html).toContain('id="quick-latency"');
      expect(html).toContain('id="quick-history"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
