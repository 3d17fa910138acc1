// examples/json-api/scenario.json as shipped: the harness builds the example from its folder
// (the Go package form, working tree) and measures it; its GC figures come from gctrace, its
// allocations from /metrics. Short settings: the scenario's own are for a real measurement.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import type { RunOk } from "../src/model/index.js";
import { parseResultFile } from "../src/results/upgrade.js";
import { runCli } from "./helpers/cli.js";
import { EXAMPLE_DIR, tempDir } from "./helpers/user-example.js";

describe("examples/json-api", () => {
  it("runs its own scenario: built by the harness, GC from gctrace, allocations from /metrics", async () => {
    const out = join(tempDir("example"), "example-result.json");
    const done = await runCli([
      "bench",
      join(EXAMPLE_DIR, "scenario.json"),
      "--reps",
      "1",
      "--duration",
      "1.5",
      "--warmup",
      "0.3",
      "--out",
      out,
      "-q",
    ]).done;
    expect(done.code, done.stderr).toBe(0);
    const r = parseResultFile(JSON.parse(readFileSync(out, "utf8")));
    const run = r.runs[0] as RunOk;
    expect(run.status).toBe("ok");
    expect(run.server.gcCycles).toBeGreaterThan(0);
    expect(run.targetExtra?.atWindowEnd).toMatchObject({ sources: { gc: "gctrace", alloc: "prometheus /metrics" }, missing: {} });
    const rec = (r.scenario.targets[0]!.user as { prepared: { record: { form: string; buildInfo: string[] } } }).prepared.record;
    expect(rec.form).toBe("go");
    expect(rec.buildInfo.join("\n")).toMatch(/mod\s+example\.com\/jsonapi/);
  }, 300_000);
});
