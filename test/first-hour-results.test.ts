// A new user's run leaves the repository's published results alone (issue 27): bench writes into
// the user's folder (~/.local/share/evbench/results, or $XDG_DATA_HOME/evbench/results) and says
// where, report writes its pages there, and only --publish means the tracked results/.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CLI, ROOT } from "./helpers/cli.js";

let home: string;

/** The environment of a user who set nothing: no EVBENCH_RESULTS_DIR, no XDG_DATA_HOME. */
function userEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env, HOME: home };
  delete env["EVBENCH_RESULTS_DIR"];
  delete env["XDG_DATA_HOME"];
  return env;
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((r) => child.on("exit", (code) => r({ code, stdout, stderr })));
}

/** Every file under the published results/ with its size and modification time. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out.push(`${relative(dir, p)} ${st.size} ${st.mtimeMs}`);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "evbench-first-hour-home-"));
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe("a new user's bench and report", () => {
  it("write into the user's folder, print it, and leave results/ untouched", async () => {
    const published = join(ROOT, "results");
    const before = snapshot(published);
    const userDir = join(home, ".local", "share", "evbench", "results");

    const bench = await cli(["bench", "quick", "-d", "500ms", "--warmup", "0", "--reps", "1", "-q"], userEnv());
    expect(bench.code, bench.stderr).toBe(0);
    const file = /^result: (.+)$/m.exec(bench.stdout)?.[1];
    expect(file, bench.stdout).toBeDefined();
    expect(file!.startsWith(userDir + "/")).toBe(true);
    expect(existsSync(file!)).toBe(true);

    const report = await cli(["report"], userEnv());
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain(`wrote ${userDir}/`);
    expect(report.stdout).not.toContain(`${published}/`);

    expect(snapshot(published)).toEqual(before);

    // The compact table: the columns a reader needs first, within 100 columns, the legend behind --explain.
    const table = bench.stdout
      .slice(bench.stdout.indexOf("\ntarget ") + 1)
      .split("\n\n")[0]!
      .split("\n");
    expect(table[0]).toMatch(/^target +req\/s.* +p50 +p99 +RSS peak +req\/srv-CPU-s +verdict$/);
    for (const line of table) expect([...line].length, line).toBeLessThanOrEqual(100);
    expect(bench.stdout).toContain("--explain explains the columns");
    expect(bench.stdout).not.toMatch(/^units: |^verdict: valid;/m);
  }, 120_000);

  it("--wide --explain: every column, and the legend once", async () => {
    const bench = await cli(["bench", "quick", "-d", "500ms", "--warmup", "0", "--reps", "1", "-q", "--wide", "--explain"], userEnv());
    expect(bench.code, bench.stderr).toBe(0);
    expect(bench.stdout).toMatch(/^target +req\/s median \(interval\) +p50 +p99 +p99\.9 +RSS peak +RSS mean .* +verdict +runs$/m);
    expect(bench.stdout.match(/^units: /gm)).toHaveLength(1);
    expect(bench.stdout.match(/^verdict: valid; /gm)).toHaveLength(1);
    expect(bench.stdout).not.toContain("--explain explains the columns");
  }, 120_000);

  it("XDG_DATA_HOME moves the user's folder; the help names the folder and --publish", async () => {
    const xdg = join(home, "xdg");
    const help = await cli(["bench", "--help"], { ...userEnv(), XDG_DATA_HOME: xdg });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(`Results go to ${join(xdg, "evbench", "results", "<hardware-id>")}`);
    expect(help.stdout).toMatch(/--publish\s+the repository's published results\//);
    // Nothing of the user's yet: report says so and how to see the published one, writes nothing.
    const report = await cli(["report"], { ...userEnv(), XDG_DATA_HOME: xdg });
    expect(report.code).toBe(2);
    expect(report.stderr.trim()).toMatch(
      /^evbench: report: no results of yours under .*xdg\/evbench\/results yet .*--publish reports the repository's published results\/$/,
    );
    expect(existsSync(xdg)).toBe(false);
  });
});
