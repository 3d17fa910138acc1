// The example service benchmarked as a command and as a URL: real processes on loopback, GC
// figures from its gctrace and /metrics, CPU sampled from the process that owns the socket.
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseResultFile } from "../src/results/upgrade.js";
import { freePort } from "../src/targets/user-process.js";
import { runCli } from "./helpers/cli.js";
import { markedPids } from "./helpers/procs.js";
import { buildExample, startExample, tempDir, writeScenario } from "./helpers/user-example.js";

const dir = tempDir("cmd");
let bin = "";

beforeAll(() => {
  bin = buildExample(dir);
}, 240_000);

function okRun(file: string) {
  const r = parseResultFile(JSON.parse(readFileSync(file, "utf8")));
  const run = r.runs[0]!;
  if (run.status !== "ok") throw new Error(`run not ok: ${JSON.stringify(run)}`);
  return { r, run };
}

describe("user target: command", () => {
  it("runs the example with {port} in its arguments; GC from gctrace, allocations from /metrics; stops its whole group", async () => {
    const mark = `own-server-cmd-${process.pid}`;
    const scenario = writeScenario(dir, "cmd", {
      targets: [
        {
          name: "api",
          command: [bin, "--addr", "127.0.0.1:{port}"],
          env: { EVBENCH_TEST_MARK: mark },
          ready: { http: { path: "/api/items" } },
        },
      ],
    });
    const out = join(dir, "cmd-result.json");
    const done = await runCli(["bench", scenario, "--out", out, "-q"]).done;
    expect(done.code, done.stderr).toBe(0);
    const { r, run } = okRun(out);
    expect(run.requests).toBeGreaterThan(100);
    const end = run.targetExtra!.atWindowEnd as {
      sources: { gc: string; alloc: string };
      gctrace: { cycles: number };
      scraped: { gcCycles: number };
    };
    expect(end.sources).toEqual({ gc: "gctrace", alloc: "prometheus /metrics" });
    // The two sources count the same cycles (a cycle may end between the scrape and the read).
    expect(Math.abs(end.gctrace.cycles - end.scraped.gcCycles)).toBeLessThanOrEqual(2);
    expect(run.server.gcCycles).toBeGreaterThan(0);
    // The handler allocates a page of items per request: far more than 0, far less than 1 MB.
    expect(run.server.allocBytesPerReq).toBeGreaterThan(500);
    expect(run.server.allocBytesPerReq).toBeLessThan(1e6);
    expect(r.scenario.targets[0]!.user?.kind).toBe("command");
    expect(markedPids(`EVBENCH_TEST_MARK=${mark}`)).toEqual([]);
  }, 120_000);

  it("takes the port from an env var when the arguments have no placeholder", async () => {
    const scenario = writeScenario(dir, "envport", { targets: [{ name: "api", command: [bin], env: { PORT: "{port}" } }] });
    const out = join(dir, "envport-result.json");
    const done = await runCli(["bench", scenario, "--out", out, "-q"]).done;
    expect(done.code, done.stderr).toBe(0);
    expect(okRun(out).run.requests).toBeGreaterThan(100);
  }, 120_000);
});

describe("user target: readiness and stop", () => {
  it("is ready on a line of its output, and a server that ignores SIGTERM is killed with its whole group", async () => {
    const mark = `own-server-term-${process.pid}`;
    // A wrapper that ignores SIGTERM and keeps a child of its own: only SIGKILL of the group ends both.
    const script = join(dir, "stubborn.sh");
    writeFileSync(script, `#!/bin/sh\ntrap '' TERM\n"${bin}" --addr "127.0.0.1:$1" &\nwhile true; do sleep 0.2; done\n`);
    chmodSync(script, 0o755);
    const scenario = writeScenario(dir, "term", {
      targets: [
        {
          name: "api",
          command: [script, "{port}"],
          env: { EVBENCH_TEST_MARK: mark },
          ready: { line: "listening on 127\\.0\\.0\\.1:\\d+" },
          stopGraceMs: 500,
        },
      ],
    });
    const out = join(dir, "term-result.json");
    const done = await runCli(["bench", scenario, "--out", out, "-q"]).done;
    expect(done.code, done.stderr).toBe(0);
    expect(okRun(out).run.requests).toBeGreaterThan(100);
    expect(markedPids(`EVBENCH_TEST_MARK=${mark}`)).toEqual([]);
  }, 120_000);
});

describe("user target: a server that is not Go", () => {
  it("has its GC figures missing with the reason, never zero", async () => {
    const js = "require('http').createServer((q, s) => s.end('ok')).listen(+process.env.PORT, '127.0.0.1')";
    const scenario = writeScenario(dir, "node", {
      targets: [{ name: "js", command: [process.execPath, "-e", js], env: { PORT: "{port}" } }],
      load: { generator: "native", connections: 4, path: "/" },
    });
    const out = join(dir, "node-result.json");
    const done = await runCli(["bench", scenario, "--out", out, "-q"]).done;
    expect(done.code, done.stderr).toBe(0);
    const { run } = okRun(out);
    expect([run.server.gcCycles, run.server.gcPerSec, run.server.gcPauseMs, run.server.allocBytesPerReq]).toEqual([null, null, null, null]);
    const missing = (run.targetExtra!.atWindowEnd as { missing: Record<string, string> }).missing;
    expect(missing.gc).toMatch(/no GC trace line and no go_gc_duration_seconds/);
    expect(missing.metrics).toMatch(/GET \/metrics has no go_gc_duration_seconds .*; GET \/debug\/vars is not JSON/);
  }, 120_000);
});

describe("user target: URL", () => {
  let server: import("node:child_process").ChildProcess | null = null;
  afterAll(() => server?.kill("SIGKILL"));

  it("measures a server it did not start: CPU from the socket's owner, GC from /metrics, and leaves it running", async () => {
    const port = await freePort("127.0.0.1");
    server = await startExample(bin, port);
    const scenario = writeScenario(dir, "url", { targets: [{ name: "running", url: `http://127.0.0.1:${port}` }] });
    const out = join(dir, "url-result.json");
    const done = await runCli(["bench", scenario, "--out", out, "-q"]).done;
    expect(done.code, done.stderr).toBe(0);
    const { run } = okRun(out);
    expect(run.server.cpuPct).toBeGreaterThan(1);
    expect((run.targetExtra!.atWindowEnd as { sources: { gc: string } }).sources.gc).toBe("prometheus /metrics");
    expect(server.exitCode).toBeNull(); // not ours to stop
  }, 120_000);
});
