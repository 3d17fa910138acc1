// report on results whose text carries markup (a failure message, a description) and on a folder
// whose newest result is partial: the markup is shown as text in report.md and report.html, and
// the headline describes the newest complete result.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { reportCommand } from "../src/report/index.js";
import { copyFixtures } from "./report-fixtures.js";

const HOSTILE = "<img src=x onerror=alert(1)> | **bold** `tick`";
let dir = "";

beforeAll(async () => {
  dir = copyFixtures();
  const hw = path.join(dir, "fixture-2c-xeon");
  const src = JSON.parse(readFileSync(path.join(hw, "20250103T100000Z-t7-plain.json"), "utf8"));
  // A later, partial result of the same scenario whose failure and description carry markup.
  src.createdAt = "2025-01-05T10:00:00Z";
  src.completeness = "partial";
  src.scenario.description = HOSTILE;
  src.runs = src.runs.map((r: { status: string; failure?: string }) => (r.status === "failed" ? { ...r, failure: HOSTILE } : r));
  writeFileSync(path.join(hw, "20250105T100000Z-t7-plain.json"), JSON.stringify(src));
  await reportCommand({ paths: [], resultsDir: dir });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (f: string) => readFileSync(path.join(dir, "fixture-2c-xeon", f), "utf8");

describe("report text from result files", () => {
  it("the headline is the newest complete result, not a newer partial one", () => {
    const md = read("report.md");
    const plain = md.slice(md.indexOf("## t7-plain"));
    expect(plain).toMatch(/Newest complete result of 4: \[20250103T100000Z-t7-plain\.json\]/);
  });

  it("report.md and the HTML pages show markup from result files as text", () => {
    // The partial result is in the history only; its failure appears nowhere as markup.
    for (const f of ["report.md", "report.html", "report-t7-plain.html"]) expect(read(f)).not.toContain("<img");
  });

  it("escapes a failure message in report.md", async () => {
    const only = copyFixtures();
    try {
      const f = path.join(only, "fixture-2c-xeon", "20250103T100000Z-t7-plain.json");
      const o = JSON.parse(readFileSync(f, "utf8"));
      o.runs = o.runs.map((r: { status: string; failure?: string }) => (r.status === "failed" ? { ...r, failure: HOSTILE } : r));
      writeFileSync(f, JSON.stringify(o));
      await reportCommand({ paths: [path.join(only, "fixture-2c-xeon")], resultsDir: only });
      const md = readFileSync(path.join(only, "fixture-2c-xeon", "report.md"), "utf8");
      expect(md).toContain("&lt;img src=x onerror=alert(1)> \\| \\*\\*bold\\*\\* \\`tick\\`");
      expect(md).not.toContain("<img");
      const html = readFileSync(path.join(only, "fixture-2c-xeon", "report-t7-plain.html"), "utf8");
      expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    } finally {
      rmSync(only, { recursive: true, force: true });
    }
  });
});
