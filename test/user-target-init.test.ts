// `evbench init` writes a commented scenario that `bench` runs as written, for a command and a
// URL; it refuses what it cannot write (no {port}, a named host, an existing file) with exit 2.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseResultFile } from "../src/results/upgrade.js";
import { freePort } from "../src/targets/user-process.js";
import { runCli } from "./helpers/cli.js";
import { buildExample, startExample, tempDir } from "./helpers/user-example.js";

const dir = tempDir("init");
let bin = "";
let server: import("node:child_process").ChildProcess | null = null;
beforeAll(() => {
  bin = buildExample(dir);
}, 240_000);
afterAll(() => server?.kill("SIGKILL"));

async function benchOk(file: string, rows: number): Promise<void> {
  const out = file.replace(/\.json$/, "-result.json");
  const done = await runCli(["bench", file, "--duration", "1", "--warmup", "0.3", "--reps", "1", "--out", out, "-q"]).done;
  expect(done.code, done.stderr).toBe(0);
  const r = parseResultFile(JSON.parse(readFileSync(out, "utf8")));
  expect(r.runs.filter((x) => x.status === "ok")).toHaveLength(rows);
}

describe("evbench init", () => {
  it("writes a commented scenario for a command, which bench runs as written (two variants: two rows)", async () => {
    const file = join(dir, "cmd.json");
    const done = await runCli(["init", file, "--path", "/api/items", "--", bin, "--addr", "127.0.0.1:{port}"]).done;
    expect(done.code, done.stderr).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/^\/\/ A scenario for your own server/);
    expect(text).toContain(`"command": ${JSON.stringify([bin, "--addr", "127.0.0.1:{port}"])}`);
    await benchOk(file, 2);
  }, 120_000);

  it("writes one for a URL", async () => {
    const port = await freePort("127.0.0.1");
    server = await startExample(bin, port);
    const file = join(dir, "url.json");
    expect((await runCli(["init", file, "--path", "/api/items", "--url", `http://127.0.0.1:${port}`]).done).code).toBe(0);
    // A URL target has no process to vary: its variants are the command form's only.
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain('"variants"');
    await benchOk(file, 1);
  }, 120_000);

  it("refuses a command without {port}, a named host, an existing file", async () => {
    const noPort = await runCli(["init", join(dir, "a.json"), "--", bin, "--addr", "127.0.0.1:8080"]).done;
    expect([noPort.code, noPort.stderr]).toEqual([2, expect.stringMatching(/the command has no \{port\}/)]);
    const named = await runCli(["init", join(dir, "b.json"), "--url", "http://localhost:8080"]).done;
    expect([named.code, named.stderr]).toEqual([2, expect.stringMatching(/"localhost" is a host name/)]);
    const exists = await runCli(["init", join(dir, "cmd.json"), "--", bin, "{port}"]).done;
    expect([exists.code, exists.stderr]).toEqual([2, expect.stringMatching(/exists/)]);
  });
});
