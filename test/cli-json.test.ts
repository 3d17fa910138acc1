// --json means one thing in every command: exactly one JSON document on stdout, human output on
// stderr. bench prints the result file's content (and still writes the file); compare prints the
// comparison; load's is tested with its schema in load-cli-flags. Ctrl-C on load still prints
// the summary of what was measured.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CLI, ROOT } from "./helpers/cli.js";
import { startHttpFixture, type HttpFixture } from "./helpers/http-fixture.js";

let work: string;

function exec(args: string[], onSpawn?: (pid: number) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, EVBENCH_RESULTS_DIR: join(work, "results") },
  });
  onSpawn?.(child.pid!);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((r) => child.on("exit", (code) => r({ code, stdout, stderr })));
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "evbench-json-"));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("--json", () => {
  it("bench prints exactly the result file's content", async () => {
    const out = join(work, "quick.json");
    const r = await exec(["bench", "quick", "-d", "1s", "--warmup", "0", "--out", out, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(out, "utf8")));
    expect(r.stdout.trim().split("\n").length).toBe(readFileSync(out, "utf8").trim().split("\n").length);
    expect(r.stderr).toMatch(/result: /); // the human lines went to stderr
  });

  it("compare prints the comparison as one document", async () => {
    const dir = join(ROOT, "test", "fixtures", "results", "recorded");
    const r = await exec(["compare", join(dir, "quick-node-http-a.json"), join(dir, "quick-node-http-b.json"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });
});

describe("load and Ctrl-C", () => {
  let fixture: HttpFixture;
  let answered = 0;
  beforeAll(async () => void (fixture = await startHttpFixture((_req, res) => (answered++, res.end("ok")))));
  afterAll(() => fixture.close());

  it("stops the load, prints the summary of what was measured, exits 1", async () => {
    let pid = 0;
    const done = exec(
      ["load", `http://127.0.0.1:${fixture.port}/`, "-d", "60s", "--warmup", "0", "-c", "2", "-q", "--json"],
      (p) => (pid = p),
    );
    // Not a fixed delay: on a busy machine the CLI may take seconds to start, and a SIGINT before
    // its handler is installed kills it. Its first answered request says the load (and the
    // handler installed before it) is running; a further half second gives the summary numbers.
    while (answered === 0) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    process.kill(pid, "SIGINT");
    const r = await done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/interrupted: the summary covers the time until Ctrl-C/);
    const s = JSON.parse(r.stdout);
    expect(s.requests).toBeGreaterThan(0);
    expect(s.durationS).toBeLessThan(30);
  });
});
