// What a newcomer with wrk / oha / hyperfine habits types in the first hour (issue 27): each
// mistake is one line on stderr naming it and the fix, exit 2, before anything is measured and
// with nothing written; a typo gets the closest name. Real CLI processes, real servers on loopback.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CLI, ROOT } from "./helpers/cli.js";

let work: string;
let results: string;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Ran> {
  const env = { ...process.env, EVBENCH_RESULTS_DIR: results, ...opts.env };
  const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((r) => child.on("exit", (code) => r({ code, stdout, stderr })));
}

/** The outcome of every bad input: exit 2, one line, no stack trace, nothing measured or written. */
function expectBadInput(r: Ran, mentions: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^evbench: /);
  expect(lines[0]).toMatch(mentions);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe("");
  expect(readdirSync(results)).toEqual([]);
}

/** A port with nothing listening: bound by the OS, then closed. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const a = s.address();
  const port = typeof a === "object" && a ? a.port : 0;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A server that answers nothing: it accepts and closes every connection at once. */
let silent: net.Server;
let silentPort: number;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "evbench-first-hour-"));
  results = join(work, "results");
  mkdirSync(results);
  silent = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  const a = silent.address();
  silentPort = typeof a === "object" && a ? a.port : 0;
});

afterAll(async () => {
  await new Promise<void>((r) => silent.close(() => r()));
  rmSync(work, { recursive: true, force: true });
});

describe("output files are probed before the load", () => {
  it.each(["--csv", "--hgrm", "--histogram-log"])("%s into a folder that does not exist: exit 2 before measuring", async (flag) => {
    const port = await closedPort(); // were the file checked late, the refused connect would come first
    const r = await cli(["load", `http://127.0.0.1:${port}/`, "-d", "1", flag, "/nonexistent/dir/x.out"]);
    expectBadInput(r, new RegExp(`${flag} /nonexistent/dir/x.out: no folder /nonexistent/dir; create it first`));
  });

  it.each(["--csv", "--hgrm", "--histogram-log"])("%s over an existing file is refused, as --out is", async (flag) => {
    const f = join(work, `existing${flag}`);
    writeFileSync(f, "keep me");
    const r = await cli(["load", `http://127.0.0.1:${silentPort}/`, "-d", "1", flag, f]);
    expectBadInput(r, /exists; results are never overwritten: choose a new file name/);
  });

  it("bench --out into a folder that does not exist", async () => {
    expectBadInput(
      await cli(["bench", "quick", "--out", join(work, "no", "such", "r.json")]),
      /--out .*: no folder .*no\/such; create it first/,
    );
  });
});

describe("the URL and the server, before measuring", () => {
  it("an unresolvable host is bad input", async () => {
    expectBadInput(await cli(["load", "http://nosuchhost.invalid/", "-d", "1"]), /cannot resolve nosuchhost\.invalid \(no such host\)/);
  });

  it("a port above 65535 is out of range, not 'not a URL'", async () => {
    expectBadInput(await cli(["load", "http://127.0.0.1:99999/"]), /port 99999 out of range; a TCP port is 1\.\.65535/);
  });

  it("a closed port stops at once with connection refused (exit 1: the input was right, the server is not there)", async () => {
    const port = await closedPort();
    const started = Date.now();
    const r = await cli(["load", `http://127.0.0.1:${port}/`, "-d", "10s", "--csv", join(work, "refused.csv")]);
    expect(r.code, r.stderr).toBe(1);
    expect(Date.now() - started).toBeLessThan(8000); // not the 11 s of warm-up and window
    expect(r.stderr.trim()).toMatch(/^evbench: load: cannot connect to 127\.0\.0\.1:\d+: connection refused/);
    expect(r.stderr).not.toMatch(/req\/s|\n\s+at /);
    expect(r.stdout).toBe("");
    expect(existsSync(join(work, "refused.csv"))).toBe(false);
  });

  it("nothing answered: latency is '-' in text and null in JSON, never 0", async () => {
    const url = `http://127.0.0.1:${silentPort}/`;
    const text = await cli(["load", url, "-d", "500ms", "--warmup", "0", "-c", "1", "-q"]);
    expect(text.stdout, text.stderr).toMatch(/latency\s+- \(nothing answered\)/);
    // A bare zero latency anywhere (connect latencies such as "9.00 µs" are real figures).
    expect(text.stdout).not.toMatch(/(?<![\d.])0 ?(µs|us)\b/);
    const json = await cli(["load", url, "-d", "500ms", "--warmup", "0", "-c", "1", "-q", "--json"]);
    const s = JSON.parse(json.stdout) as { requests: number; latencyUs: unknown; errors: { total: number } };
    expect(s.requests).toBe(0);
    expect(s.errors.total).toBeGreaterThan(0);
    expect(s.latencyUs).toBeNull();
  });
});

describe("did you mean", () => {
  it.each([
    [["load", "http://127.0.0.1:9/", "--conections", "5"], /unknown option --conections \(did you mean --connections\?\)/],
    [["bench", "quik"], /no scenario "quik": .* \(did you mean quick\?\)/],
    [["target", "gnett"], /no target named "gnett" \(did you mean gnet\?\)/],
    [["bench", "seed-table", "--targets", "gnett"], /--targets: gnett not in scenario seed-table \(did you mean gnet\?\)/],
    [["benhc", "quick"], /unknown command "benhc" \(did you mean bench\?\)/],
  ])("%j", async (args, mentions) => {
    expectBadInput(await cli(args), mentions);
  });

  it("a name far from every known one gets no guess", async () => {
    const r = await cli(["bench", "zzzzzz"]);
    expectBadInput(r, /no scenario "zzzzzz"/);
    expect(r.stderr).not.toContain("did you mean");
  });
});

describe("habits from other tools", () => {
  it("bench <url> points to load and sweep", async () => {
    expectBadInput(
      await cli(["bench", "http://127.0.0.1:8080/"]),
      /bench runs a scenario .*npm run load -- http:\/\/127\.0\.0\.1:8080\/.*npm run sweep/,
    );
  });

  it("-t 2 -c 1 is refused for every generator", async () => {
    for (const g of ["native", "wrk"]) {
      expectBadInput(
        await cli(["load", "http://127.0.0.1:9/", "-t", "2", "-c", "1", "--generator", g]),
        /-t 2 is above -c 1: each client thread needs a connection/,
      );
    }
  });

  it("--slo p99=5 is read as 5 seconds, like any bare duration", async () => {
    // Nothing listens there, so the sweep ends fast (exit 1), after its first line named the SLO.
    const port = await closedPort();
    const r = await cli(
      ["sweep", `http://127.0.0.1:${port}/`, "--slo", "p99=5", "--step-duration", "200ms", "--warmup", "0", "--reps", "1"],
      {
        env: { EVBENCH_RESULTS_DIR: join(work, "sweep-results") },
      },
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout.split("\n")[0]).toMatch(/SLO p99<=5s;/);
    expectBadInput(await cli(["sweep", `http://127.0.0.1:${port}/`, "--slo", "p99=fast"]), /"p99=fast" is not an SLO/);
  });

  it("--generator wrk --csv is refused up front: wrk reports totals, no seconds", async () => {
    expectBadInput(
      await cli(["load", `http://127.0.0.1:${silentPort}/`, "--generator", "wrk", "--csv", join(work, "wrk.csv")]),
      /--csv: wrk reports no per-second counts .*use the native generator/,
    );
    expect(existsSync(join(work, "wrk.csv"))).toBe(false);
  });

  it("--version names the commit that measures", async () => {
    const r = await cli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^evbench \d+\.\d+\.\d+ \(commit [0-9a-f]{12}( with local changes)?, node v\d+/);
    const sub = await cli(["load", "--version"]);
    expect(sub.stdout).toBe(r.stdout);
  });
});

describe("hist merge and compare take the user's paths", () => {
  it("hist merge refuses the same log twice, however it is spelled", async () => {
    const log = join(work, "a.hlog");
    writeFileSync(log, "#[StartTime: 0.000 (seconds since epoch)]\n");
    expectBadInput(
      await cli(["hist", "merge", "a.hlog", "./a.hlog"], { cwd: work }),
      /\.\/a\.hlog is a\.hlog again; merging a log twice counts its answers twice/,
    );
  });

  it("compare resolves relative paths against the current folder and numbers repetitions from 1", async () => {
    const dir = join(work, "mine");
    mkdirSync(dir);
    const fixtures = join(ROOT, "test", "fixtures", "results", "fixture-2c-xeon");
    copyFileSync(join(fixtures, "20250102T100000Z-t7-plain.json"), join(dir, "old.json"));
    copyFileSync(join(fixtures, "20250103T100000Z-t7-plain.json"), join(dir, "new.json"));
    const r = await cli(["compare", "old.json", "new.json"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/old: old\.json/);
    // evio's first repetition (rep 0 in the file) failed: it is rep 1 for people, as bench prints it.
    expect(r.stdout).toContain("new has failed runs, left out: evio/default rep 1");
    expect(r.stdout).not.toMatch(/reps? 0\b/);
  });

  it("under npm run, relative paths are where the user typed the command (INIT_CWD)", async () => {
    const dir = join(work, "mine");
    const r = await cli(["compare", "old.json", "new.json"], { env: { INIT_CWD: dir, npm_lifecycle_event: "compare" } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/old: old\.json/);
  });
});
