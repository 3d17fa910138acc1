// A Go package built by the harness at two revisions of a repository: each a row, alternated
// inside every repetition, each built once into the cache (the second bench reuses it), the
// commit and `go version -m` recorded; the regression of v2 shows in its allocations per request.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { parseResultFile } from "../src/results/upgrade.js";
import { runCli } from "./helpers/cli.js";
import { tempDir, writeScenario } from "./helpers/user-example.js";
import { exampleRepo } from "./helpers/user-repo.js";

const dir = tempDir("revs");
const repo = tempDir("repo");
const cache = tempDir("cache");
const revs = exampleRepo(repo);

function scenario(name: string): string {
  return writeScenario(dir, name, {
    targets: [{ name: "api", go: { dir: repo, package: ".", revs: ["v1", "v2"] }, args: ["--addr", "127.0.0.1:{port}"] }],
    repetitions: 4, // the fewest for which Mann-Whitney can call a change significant at 5 %
  });
}

describe("user target: Go package at revisions", () => {
  it("builds each revision once, measures both as rows in alternation, records what ran", async () => {
    const out = join(dir, "revs-result.json");
    const done = await runCli(["bench", scenario("revs"), "--out", out, "-q"], { XDG_CACHE_HOME: cache }).done;
    expect(done.code, done.stderr).toBe(0);
    const r = parseResultFile(JSON.parse(readFileSync(out, "utf8")));
    expect(r.runs.map((x) => `${x.target}#${x.rep}`)).toEqual([0, 1, 2, 3].flatMap((i) => [`api@v1#${i}`, `api@v2#${i}`]));
    const perReq = (t: string) => r.runs.filter((x) => x.target === t).map((x) => (x.status === "ok" ? x.server.allocBytesPerReq! : NaN));
    // 64 buffers of 1 KiB more per request in v2.
    for (const [a, b] of perReq("api@v1").map((a, i) => [a, perReq("api@v2")[i]!])) expect(b! - a!).toBeGreaterThan(60 * 1024);
    const rec = (t: string) =>
      (
        r.scenario.targets.find((x) => x.name === t)!.user as {
          prepared: { record: { repo: { commit: string }; buildInfo: string[]; cachedBuild: boolean } };
        }
      ).prepared.record;
    expect(rec("api@v1").repo.commit).toBe(revs.v1);
    expect(rec("api@v2").repo.commit).toBe(revs.v2);
    expect(rec("api@v2").buildInfo.join("\n")).toMatch(/dep\s+github\.com\/prometheus\/client_golang\s+v\d/);
    expect(rec("api@v1").cachedBuild).toBe(false);
    expect(r.env.targets["api@v2"]).toMatchObject({ form: "go", commit: revs.v2, rev: "v2" });

    const cmp = await runCli(["compare", out, "--revs", "v1,v2", "--json"]).done;
    expect(cmp.code, cmp.stderr).toBe(0);
    const c = JSON.parse(cmp.stdout).comparisons[0] as {
      old: { commit: string };
      new: { commit: string };
      metrics: { key: string; rows: { name: string; verdict: { kind: string }; regression: boolean }[] }[];
    };
    expect([c.old.commit, c.new.commit]).toEqual([revs.v1, revs.v2]);
    const alloc = c.metrics.find((m) => m.key === "allocBytesPerReq")!.rows[0]!;
    expect(alloc).toMatchObject({ name: "api", verdict: { kind: "significant" }, regression: true });

    const again = join(dir, "revs-again.json");
    const second = await runCli(["bench", scenario("revs"), "--out", again, "--reps", "1", "-q"], { XDG_CACHE_HOME: cache }).done;
    expect(second.code, second.stderr).toBe(0);
    const r2 = parseResultFile(JSON.parse(readFileSync(again, "utf8")));
    expect((r2.scenario.targets[0]!.user as { prepared: { record: { cachedBuild: boolean } } }).prepared.record.cachedBuild).toBe(true);
  }, 300_000);

  it("compare --revs refuses a revision with no row", async () => {
    const done = await runCli(["compare", join(dir, "revs-result.json"), "--revs", "v1,v9"]).done;
    expect(done.code).toBe(2);
    expect(done.stderr).toMatch(/--revs: .* has no row measured at "v9" \(its rows: api@v1, api@v2\)/);
  });

  it("refuses a revision the repository does not have", async () => {
    const p = writeScenario(dir, "norev", { targets: [{ name: "api", go: { dir: repo, revs: ["no-such-branch"] }, args: ["{port}"] }] });
    const done = await runCli(["bench", p, "--out", join(dir, "norev-result.json")], { XDG_CACHE_HOME: cache }).done;
    expect(done.code).toBe(2);
    expect(done.stderr).toMatch(/"no-such-branch" is not a revision of/);
  });
});
