// The live view under a pseudo-terminal (script(1)): one status block redrawn in place (cursor
// up, erase line), a progress bar, req/s of the last second; without a terminal, plain lines;
// --quiet, nothing. Against a real server on loopback.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CLI, ROOT, runCli } from "./helpers/cli.js";
import { startHttpFixture, type HttpFixture } from "./helpers/http-fixture.js";

let fixture: HttpFixture;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "evbench-live-"));
  fixture = await startHttpFixture();
});

afterAll(async () => {
  await fixture.close();
  rmSync(work, { recursive: true, force: true });
});

function exec(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((r) => child.on("exit", (code) => r({ code, stdout, stderr })));
}

const loadArgs = () => ["load", `http://127.0.0.1:${fixture.port}/`, "-d", "3s", "--warmup", "500ms", "-c", "2"];

describe("live view", () => {
  it.skipIf(!existsSync("/usr/bin/script"))("redraws one block in place on a terminal", async () => {
    const typescript = join(work, "tty.txt");
    const command = [process.execPath, CLI, ...loadArgs()].map((a) => `'${a}'`).join(" ");
    const r = await exec("script", ["-qfc", command, typescript]);
    expect(r.code).toBe(0);
    const out = readFileSync(typescript, "utf8");
    expect(out).toContain("\x1b[2K"); // erase line
    expect(out).toMatch(/\x1b\[2A/); // back up over the two-line block
    expect(out).toMatch(/measure [█░]{24} \d+\.\ds \/ 3s/);
    // The window's own time: from 0 after the 0.5 s warm-up, never past its 3 s, ending at 3.0.
    const shown = [...out.matchAll(/measure [█░]{24} (\d+\.\d)s \/ 3s/g)].map((m) => Number(m[1]));
    expect(Math.min(...shown)).toBeLessThan(0.5);
    expect(Math.max(...shown)).toBeLessThanOrEqual(3.0);
    expect(shown.at(-1)).toBe(3);
    expect(out).toMatch(/req\/s \(last 1s\)/);
    expect(out).toMatch(/requests\s+[\d,]+ in/); // the summary follows
  });

  it("prints plain lines when not on a terminal", async () => {
    const r = await runCli(loadArgs()).done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("\x1b[");
    expect(r.stderr.split("\n").filter((l) => /measure .* req\/s \((last 1s|second \d+)\)/.test(l)).length).toBeGreaterThanOrEqual(1);
    expect(r.stdout).toMatch(/requests\s+[\d,]+ in/);
  });

  it("--quiet prints no live view", async () => {
    const r = await runCli([...loadArgs(), "--quiet"]).done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
  });
  it.skipIf(!existsSync("/usr/bin/script"))("bench shows the same block for each run on a terminal", async () => {
    const typescript = join(work, "bench-tty.txt");
    const out = join(work, "bench.json");
    const command = [process.execPath, CLI, "bench", "quick", "-d", "3s", "--warmup", "0", "--out", out].map((a) => `'${a}'`).join(" ");
    const r = await exec("script", ["-qfc", command, typescript]);
    expect(r.code).toBe(0);
    const text = readFileSync(typescript, "utf8");
    expect(text).toMatch(/node-http rep 1\/1 {2}measure [█░]{24} \d+\.\ds \/ 3s/);
    expect(text).toMatch(/\x1b\[2A/);
    expect(text).toMatch(/result: /);
  });
});
