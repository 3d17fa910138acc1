// Every bad user target is refused before anything is measured (exit 2, one message, no stack);
// a server that exits early or answers its probe wrongly is a failed run with its stderr's tail.
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import { runCli } from "./helpers/cli.js";
import { buildExample, tempDir, writeScenario } from "./helpers/user-example.js";

const dir = tempDir("err");
let bin = "";
beforeAll(() => {
  bin = buildExample(dir);
}, 240_000);

async function refused(name: string, target: Record<string, unknown>): Promise<string> {
  const done = await runCli(["bench", writeScenario(dir, name, { targets: [target] }), "--out", join(dir, `${name}-result.json`), "-q"])
    .done;
  expect(done.code, done.stderr).toBe(2);
  expect(done.stderr).not.toMatch(/\n\s+at /); // no stack trace
  return done.stderr;
}

describe("user targets: bad input", () => {
  it("a command that does not exist", async () => {
    expect(await refused("nocmd", { name: "api", command: ["./no-such-server", "--port", "{port}"] })).toMatch(
      /command "\.\/no-such-server" does not exist/,
    );
  });
  it("a command name not on PATH", async () => {
    expect(await refused("nopath", { name: "api", command: ["no-such-server-evbench", "{port}"] })).toMatch(/is not on PATH/);
  });
  it("no port placeholder", async () => {
    expect(await refused("noport", { name: "api", command: [bin, "--addr", "127.0.0.1:8080"] })).toMatch(
      /targets\[0\]\.command: no \{port\} placeholder/,
    );
  });
  it("a URL with a host name", async () => {
    expect(await refused("named", { name: "api", url: "http://localhost:8080" })).toMatch(
      /"localhost" is a host name; write its loopback address/,
    );
  });
  it("a URL not on loopback", async () => {
    expect(await refused("remote", { name: "api", url: "http://10.1.2.3:8080" })).toMatch(/10\.1\.2\.3 is not a loopback address/);
  });
  it("two forms at once", async () => {
    expect(await refused("both", { name: "api", command: [bin, "{port}"], url: "http://127.0.0.1:1" })).toMatch(
      /give one of command, go or url/,
    );
  });
  it("a Go package that does not build: the compiler's message", async () => {
    const src = join(dir, "broken");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, "go.mod"), "module example.com/broken\n\ngo 1.26\n");
    writeFileSync(join(src, "main.go"), "package main\n\nfunc main() { undefinedThing() }\n");
    const err = await refused("broken", { name: "api", go: { dir: src }, args: ["--addr", "127.0.0.1:{port}"] });
    expect(err).toMatch(/go build \. failed: .*undefined: undefinedThing/);
  }, 120_000);
});

describe("user targets: failures at start", () => {
  async function failedRun(name: string, target: Record<string, unknown>): Promise<string> {
    const out = join(dir, `${name}-result.json`);
    const done = await runCli(["bench", writeScenario(dir, name, { targets: [target] }), "--out", out, "-q"]).done;
    expect(done.code, done.stderr).toBe(1);
    const run = JSON.parse(readFileSync(out, "utf8")).runs[0];
    expect(run.status).toBe("failed");
    return run.failure as string;
  }

  it("a server that exits before it is ready: its exit and the tail of its stderr", async () => {
    const script = join(dir, "dies.sh");
    writeFileSync(script, "#!/bin/sh\necho 'config error: no database at $DB' >&2\nexit 3\n");
    chmodSync(script, 0o755);
    const why = await failedRun("dies", { name: "api", command: [script, "{port}"] });
    expect(why).toMatch(/exited with code 3 before it was ready; its stderr:\nconfig error: no database/);
  }, 60_000);

  it("a server that never gets ready within the timeout", async () => {
    const why = await failedRun("never", { name: "api", command: ["sleep", "30"], env: { P: "{port}" }, ready: { timeoutMs: 1000 } });
    expect(why).toMatch(/nothing accepted a connection on 127\.0\.0\.1:\d+ within 1000 ms/);
  }, 60_000);

  it("a probe answered with the wrong status", async () => {
    const why = await failedRun("probe", {
      name: "api",
      command: [bin, "--addr", "127.0.0.1:{port}"],
      ready: { http: { path: "/no-such-path", status: 200 } },
    });
    expect(why).toMatch(/GET \/no-such-path answered 404, expected 200/);
  }, 60_000);

  it("an answer that breaks what the scenario states", async () => {
    const why = await failedRun("check", {
      name: "api",
      command: [bin, "--addr", "127.0.0.1:{port}"],
      check: { bodyPattern: '^\\{"never"' },
    });
    expect(why).toMatch(/verification: GET \/api\/items \(first answer\): body does not match/);
  }, 60_000);
});
