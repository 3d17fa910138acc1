// bench --profile on a user's server: its CPU and allocation profiles come from its own
// net/http/pprof over HTTP, land in the same files as the registered targets', parse with our
// readers and show the example's handler at work; the flame graphs are drawn.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import { functionShares } from "../src/profile/folded.js";
import { loadRunProfiles } from "../src/profile/load.js";
import type { RunOk } from "../src/model/index.js";
import { parseResultFile } from "../src/results/upgrade.js";
import { runCli } from "./helpers/cli.js";
import { buildExample, tempDir, writeScenario } from "./helpers/user-example.js";

const dir = tempDir("pprof");
let bin = "";
beforeAll(() => {
  bin = buildExample(dir);
}, 240_000);

describe("user target: --profile over net/http/pprof", () => {
  it("takes CPU and allocation profiles over the window from /debug/pprof", async () => {
    const scenario = writeScenario(dir, "prof", { targets: [{ name: "api", command: [bin, "--addr", "127.0.0.1:{port}"] }], durationS: 2 });
    const out = join(dir, "prof-result.json");
    const done = await runCli(["bench", scenario, "--out", out, "--profile", "-q"]).done;
    // A profiled run is marked noisy, never a failure.
    expect(done.code, done.stderr).toBe(0);
    const run = parseResultFile(JSON.parse(readFileSync(out, "utf8"))).runs[0] as RunOk;
    expect(run.profile).toMatchObject({
      format: "pprof",
      cpu: "prof-result.profiles/api-default-rep0.cpu.pprof",
      heapBase: "prof-result.profiles/api-default-rep0.heap-start.pprof",
      missing: null,
    });
    const loaded = loadRunProfiles(dir, run.profile!);
    expect(loaded.problems).toEqual([]);
    expect(functionShares(loaded.cpu!).some((f) => f.name === "main.handleItems" && f.cumShare > 0.05)).toBe(true);
    // The window's allocations: the handler's page of items is among them.
    expect(functionShares(loaded.heap!).some((f) => f.name === "main.items")).toBe(true);
    expect(existsSync(join(dir, "prof-result.profiles/api-default-rep0.cpu.svg"))).toBe(true);
  }, 120_000);

  it("says why when the service has no pprof handlers", async () => {
    const scenario = writeScenario(dir, "noprof", {
      targets: [{ name: "api", command: [bin, "--addr", "127.0.0.1:{port}"], metrics: { pprof: "/no-pprof-here" } }],
    });
    const out = join(dir, "noprof-result.json");
    const done = await runCli(["bench", scenario, "--out", out, "--profile", "-q"]).done;
    expect(done.code, done.stderr).toBe(0);
    const run = parseResultFile(JSON.parse(readFileSync(out, "utf8"))).runs[0] as RunOk;
    expect(run.profile?.format).toBeNull();
    expect(run.profile?.missing).toMatch(/pprof over HTTP: GET \/no-pprof-here\/allocs answered 404/);
  }, 120_000);
});
