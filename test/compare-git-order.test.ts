// compare --git orders results by when they were recorded (createdAt), never by file name or the
// order files are listed in: two results at one commit whose names sort the other way round are
// compared earlier-to-later. A throw-away repository in a temporary folder, fixture results
// (synthetic test data) re-stamped with its commit.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { compareCommand } from "../src/compare/index.js";
import type { Comparison } from "../src/compare/model.js";
import { stampFixture } from "./report-fixtures.js";

let repo = "";
const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=evbench-test", "-c", "user.email=test@evbench.invalid", "-c", "commit.gpgsign=false", ...args], {
    cwd: repo,
    encoding: "utf8",
  }).trim();

const stamp = (fixture: string, sha: string, as: string, createdAt: string) => stampFixture(repo, fixture, sha, as, createdAt);

beforeAll(() => {
  repo = mkdtempSync(path.join(os.tmpdir(), "evbench-git-order-"));
  git("init", "--quiet");
  git("commit", "--quiet", "--allow-empty", "-m", "one");
  const sha = git("rev-parse", "HEAD");
  // File names sort a-before-b, but b was recorded first: b is old, a is new.
  stamp("20250101T100000Z-t7-plain.json", sha, "a-t7-plain.json", "2025-02-02T10:00:00Z");
  stamp("20250102T100000Z-t7-plain.json", sha, "b-t7-plain.json", "2025-02-01T10:00:00Z");
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("compare --git HEAD with several results at HEAD", () => {
  it("takes the earlier recorded as old and the later as new", async () => {
    const r = await compareCommand({ gitRef: "HEAD", format: "json", resultsDir: "results", cwd: repo });
    const c = (JSON.parse(r.output) as { comparisons: Comparison[] }).comparisons[0]!;
    expect(path.basename(c.old.path)).toBe("b-t7-plain.json");
    expect(path.basename(c.new.path)).toBe("a-t7-plain.json");
    expect(c.old.createdAt < c.new.createdAt).toBe(true);
    expect(c.notes.join("\n")).toContain("measured at the same commit; old is the earlier recorded");
    // The signs follow: fixture commit 2 (b, old here) had gnet faster, so a (new) is slower.
    expect(c.metrics.find((m) => m.key === "rps")!.rows.find((x) => x.target === "gnet")!.deltaPct!).toBeLessThan(0);
  });
});
