// Every input is checked before anything is measured: each mistake gets one line on stderr that
// names it and the fix, exit code 2, no stack trace, nothing started and nothing written.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync, mkdirSync, chmodSync } from "node:fs";
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

function cli(args: string[], opts: { uid?: number } = {}): Ran {
  const argv =
    opts.uid === undefined
      ? [process.execPath, CLI, ...args]
      : ["setpriv", `--reuid=${opts.uid}`, `--regid=${opts.uid}`, "--clear-groups", process.execPath, CLI, ...args];
  const r = spawnSync(argv[0]!, argv.slice(1), {
    cwd: ROOT,
    env: { ...process.env, EVBENCH_RESULTS_DIR: results },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The outcome every bad input must have. */
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

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "evbench-cli-input-"));
  results = join(work, "results");
  mkdirSync(results);
});

afterAll(() => {
  spawnSync("rm", ["-rf", work]);
});

describe("bench checks its output path before running", () => {
  it("refuses an existing file", () => {
    const f = join(work, "existing.json");
    writeFileSync(f, "keep me");
    expectBadInput(cli(["bench", "quick", "--out", f]), /existing\.json: exists; results are never overwritten/);
    expect(readFileSync(f, "utf8")).toBe("keep me");
  });

  it("refuses a path under a file", () => {
    const f = join(work, "a-file");
    writeFileSync(f, "");
    expectBadInput(cli(["bench", "quick", "--out", join(f, "out.json")]), /a-file is a file, not a folder/);
  });

  it.skipIf(process.getuid?.() !== 0 || !existsSync("/usr/bin/setpriv"))("refuses a folder it cannot write (run as nobody)", () => {
    const ro = join(work, "read-only");
    mkdirSync(ro);
    chmodSync(work, 0o755);
    chmodSync(ro, 0o755);
    const r = cli(["bench", "quick", "--out", join(ro, "x.json")], { uid: 65534 });
    expectBadInput(r, /cannot write in .*read-only \(permission denied\)/);
  });
});

describe("bench checks target names", () => {
  it("refuses --targets with no name", () => {
    expectBadInput(cli(["bench", "quick", "--targets", ""]), /--targets "": empty; name at least one/);
  });

  it("refuses a target not in the scenario", () => {
    expectBadInput(cli(["bench", "quick", "--targets", "gnet"]), /--targets: gnet not in scenario quick/);
  });

  it("refuses an unregistered target in a scenario file", () => {
    const s = JSON.parse(readFileSync(join(ROOT, "scenarios", "quick.json"), "utf8"));
    s.targets = ["node-http", "no-such-server"];
    const f = join(work, "unknown-target.json");
    writeFileSync(f, JSON.stringify(s));
    expectBadInput(cli(["bench", f]), /unknown target "no-such-server"; registered targets: /);
  });
});

describe("load checks its flags before the load starts", () => {
  const url = "http://127.0.0.1:9/";
  it.each([
    [["http://127.0.0.1:0/"], /port 0 cannot be connected to/],
    [[url, "--pipeline", "100000"], /--pipeline 100000: out of range; expected 1\.\.1024/],
    [[url, "--body-size", "1000000000"], /--body-size 1000000000: out of range/],
    [[url, "--cpus", "99"], /--cpus 99: CPU 99 does not exist here; this machine has CPUs 0\.\./],
    [[url, "--rate", "1000", "--generator", "wrk"], /wrk has no constant-rate mode .*use the native generator/],
    [[url, "-c", "5000000"], /-c\/--connections 5000000: out of range/],
    [[url, "-d", "ten"], /-d.*"ten": expected a duration such as 10s/],
    [[url, "--timeout", "5000"], /a bare number is seconds: for milliseconds write 5000ms/],
    [[url, "-H", "no colon"], /expected "Name: value"/],
    [[url, "--frobnicate"], /unknown option --frobnicate; npm run load -- --help lists its options/],
    [[url, "-c"], /-c, --connections needs a value/],
    [["not a url"], /not a URL/],
    [[], /load: expected <url>, got none/],
  ])("load %j", (args, mentions) => {
    expectBadInput(cli(["load", ...args]), mentions);
  });

  it("refuses -c above the hard open-file limit with the ulimit fix (a one-process generator)", () => {
    const m = /Max open files\s+(\d+)\s+(\d+)/.exec(readFileSync("/proc/self/limits", "utf8"));
    if (!m) return;
    const c = Math.min(Number(m[2]) + 1000, 1_000_000);
    // The native generator runs several processes past the limit (test/load-native-processes.test.ts).
    expectBadInput(
      cli(["load", url, "-c", String(c), "--generator", "autocannon"]),
      new RegExp(`-c ${c}: needs about \\d+ file descriptors .*ulimit -n`),
    );
  });
});

describe("every command answers --version and refuses an unknown command", () => {
  it.each(["bench", "target", "load", "hist", "compare", "report", "list", "doctor"])("%s --version", (cmd) => {
    const r = cli([cmd, "--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^evbench \d+\.\d+\.\d+ \(commit [0-9a-f]{12}( with local changes)?, node v/);
  });

  it("unknown command", () => {
    expectBadInput(cli(["frob"]), /unknown command "frob"/);
  });
});
