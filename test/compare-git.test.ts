// compare --git <ref>: picks results by the commit they were recorded at. Runs against a
// throw-away git repository in a temporary folder (never the project's own), holding copies of
// the fixture results (synthetic test data) re-stamped with that repository's commits.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { compareCommand } from "../src/compare/index.js";
import type { Comparison } from "../src/compare/model.js";
import { BadInputError } from "../src/errors.js";
import { stampFixture } from "./report-fixtures.js";

let repo = "";
const shas: string[] = [];
const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=evbench-test", "-c", "user.email=test@evbench.invalid", "-c", "commit.gpgsign=false", ...args], {
    cwd: repo,
    encoding: "utf8",
  }).trim();
const commit = (msg: string) => {
  git("commit", "--quiet", "--allow-empty", "-m", msg);
  shas.push(git("rev-parse", "HEAD"));
};

const stamp = (fixture: string, sha: string, as: string) => stampFixture(repo, fixture, sha, as);

beforeAll(() => {
  repo = mkdtempSync(path.join(os.tmpdir(), "evbench-git-"));
  git("init", "--quiet");
  commit("one");
  commit("two");
  stamp("20250101T100000Z-t7-plain.json", shas[0]!, "20250101T100000Z-t7-plain.json");
  stamp("20250102T100000Z-t7-plain.json", shas[1]!, "20250102T100000Z-t7-plain.json");
  stamp("20250103T120000Z-t7-pipelined.json", shas[0]!, "20250103T120000Z-t7-pipelined.json");
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

const run = async (gitRef: string) => {
  const r = await compareCommand({ gitRef, format: "json", resultsDir: "results", cwd: repo });
  return (JSON.parse(r.output) as { comparisons: Comparison[] }).comparisons;
};

describe("compare --git", () => {
  it("compares the result at the ref with the newest one at HEAD", async () => {
    const cs = await run("HEAD~1");
    expect(cs).toHaveLength(1);
    const c = cs[0]!;
    expect(c.old.commit).toBe(shas[0]);
    expect(c.new.commit).toBe(shas[1]);
    expect(c.new.path).toBe(path.join("results", "fixture-2c-xeon", "20250102T100000Z-t7-plain.json"));
    expect(c.notes.join("\n")).toContain("newest result at HEAD");
    // t7-pipelined has a result at the ref but none after it: said, not silently dropped.
    expect(c.notes.join("\n")).toContain("nothing newer to compare with: t7-pipelined on fixture-2c-xeon");
  });

  it("bad refs and commits without results are bad input", async () => {
    await expect(run("no-such-branch")).rejects.toBeInstanceOf(BadInputError);
    // HEAD's only result has nothing newer after it.
    await expect(run("HEAD")).rejects.toThrow(/nothing newer to compare with for t7-plain on fixture-2c-xeon/);
  });

  it("falls back to the newest result overall when HEAD has none, and says so", async () => {
    commit("three"); // last test: HEAD now has no results
    const c = (await run(shas[0]!))[0]!;
    expect(c.new.commit).toBe(shas[1]);
    expect(c.notes.join("\n")).toContain("no result at HEAD");
  });
});
