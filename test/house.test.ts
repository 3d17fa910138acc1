// The house's rules, checked: no import cycle in src/, each shared list written once (in
// src/model/enums.ts), the README's command block equal to the command table's, and a scenario
// made unrunnable by an override refused before anything is measured.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

import { readmeCommandBlock, README_BEGIN, README_END } from "../src/commands/readme-block.js";
import { ROOT, runCli } from "./helpers/cli.js";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("the house", () => {
  it("has no import cycle in src/ (type-only imports included)", () => {
    const out = execFileSync(process.execPath, [join(ROOT, "scripts", "check-cycles.mjs"), join(ROOT, "src")], { encoding: "utf8" });
    expect(out).toMatch(/^no import cycle among \d+ files/);
  });

  it("writes each shared list once: generators, backends, modes, verdicts, error kinds", () => {
    const lists = [
      /"native",\s*"autocannon",\s*"wrk"/,
      /"epoll",\s*"io_uring"/,
      /"http",\s*"echo"/,
      /"valid",\s*"noisy",\s*"clientBound",\s*"invalid"/,
      /"connect",\s*"reset",\s*"timeout"/,
      /"local",\s*"netns",\s*"ssh"/,
      /"constant",\s*"poisson"/,
      // the same lists written again as unions, in another order, or as a rank table
      /"epoll"\s*\|\s*"io_uring"/,
      /"http"\s*\|\s*"echo"/,
      /"local"\s*\|\s*"netns"\s*\|\s*"ssh"/,
      /"invalid",\s*"clientBound",\s*"noisy"/,
      /valid:\s*0,\s*noisy:\s*1/,
      /"constant"\s*\|\s*"poisson"/,
    ];
    const where = lists.map((re) =>
      sources(join(ROOT, "src"))
        .filter((f) => re.test(readFileSync(f, "utf8")))
        .map((f) => relative(ROOT, f)),
    );
    for (const [i, files] of where.entries()) expect(files, String(lists[i])).toEqual(i < 7 ? ["src/model/enums.ts"] : []);
  });

  it("keeps the README's command block equal to the command table (npm run docs:commands)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const block = readme.slice(readme.indexOf(README_BEGIN) + README_BEGIN.length, readme.indexOf(README_END)).trim();
    expect(block).toBe(readmeCommandBlock());
  });

  it("refuses an echo scenario with --generator wrk before measuring (exit 2, one line)", async () => {
    const results = mkdtempSync(join(tmpdir(), "evb-house-"));
    const r = await runCli(["bench", "seed-table-echo", "--generator", "wrk"], { EVBENCH_RESULTS_DIR: results }).done;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/with --generator wrk: .*load\.generator: echo mode needs the native generator/);
    expect(r.stderr.trim().split("\n"), "one line, not one per variant").toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(results)).toEqual([]);
  });
});
