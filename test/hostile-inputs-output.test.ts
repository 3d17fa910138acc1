// Output that cannot be written after a run measured (issue 28): stdout on /dev/full (`--json >
// /dev/full`) and export files on /dev/full. One line says which, the summary is not lost (on
// stderr when stdout failed), and the exit code is 1: the run was measured, its output is not.
// A command that measured nothing exits 2 instead.
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { measureCli } from "./helpers/hostile-cli.js";
import { startHttpFixture, type HttpFixture } from "./helpers/http-fixture.js";

let server: HttpFixture;
let url = "";
beforeAll(async () => {
  server = await startHttpFixture();
  url = `http://127.0.0.1:${server.port}/`;
});
afterAll(() => server.close());

const LOAD = () => ["load", url, "-n", "200", "-c", "1", "--warmup", "0", "-q"];
const stackTrace = /\n\s+at /;

describe("stdout on /dev/full", () => {
  it("load --json: one line, the JSON summary on stderr, exit 1", async () => {
    const r = await measureCli([...LOAD(), "--json"], { stdoutTo: "/dev/full" });
    expect(r.code, r.stderr).toBe(1);
    const [first, ...rest] = r.stderr.trimEnd().split("\n");
    expect(first).toMatch(/^evbench: cannot write to stdout \(ENOSPC: no space left on device\); the run was measured/);
    expect(JSON.parse(rest.join("\n")).requests).toBe(200);
    expect(r.stderr).not.toMatch(stackTrace);
  });

  it("a command that measures nothing (list): exit 2", async () => {
    const r = await measureCli(["list"], { stdoutTo: "/dev/full" });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^evbench: cannot write to stdout \(ENOSPC[^\n]*send stdout somewhere writable\n/);
    expect(r.stderr).not.toMatch(stackTrace);
  });
});

describe("export files on /dev/full", () => {
  for (const flag of ["--csv", "--hgrm", "--histogram-log"]) {
    it(`load ${flag} /dev/full: one line, the summary still printed, exit 1`, async () => {
      const r = await measureCli([...LOAD(), flag, "/dev/full"]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.trimEnd().split("\n")).toEqual([
        `evbench: ${flag} /dev/full: cannot write it (ENOSPC: no space left on device); the run was measured: its summary follows, exit 1`,
      ]);
      expect(r.stdout).toMatch(/requests\s+200 in/);
    });
  }

  it("hist merge --hgrm /dev/full (nothing measured): one line, exit 2", async () => {
    const hlog = join(tmpdir(), `evb-hostile-output-${process.pid}.hlog`);
    const made = await measureCli([...LOAD(), "--histogram-log", hlog]);
    expect(made.code, made.stderr).toBe(0);
    const r = await measureCli(["hist", "merge", hlog, "--hgrm", "/dev/full"]);
    rmSync(hlog);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^evbench: --hgrm \/dev\/full: cannot write it \(ENOSPC[^\n]*; choose another file\n$/);
  });
});
