// End to end on real processes: `bench quick --duration 2` writes a valid result under
// results/<hardware-id>/ with real figures for node-http, and leaves no process behind.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";

import { describe, expect, it } from "vitest";

import { parseResultFile } from "../src/results/upgrade.js";
import { runCli } from "./helpers/cli.js";
import { markedPids } from "./helpers/procs.js";

describe("bench quick, end to end", () => {
  it("writes a result that validates, with non-zero req/s, latency, RSS and CPU", async () => {
    const results = mkdtempSync(join(tmpdir(), "evbench-e2e-"));
    const mark = `e2e-${process.pid}`;
    const r = await runCli(["bench", "quick", "--duration", "2", "--json"], {
      EVBENCH_RESULTS_DIR: results,
      EVBENCH_RUN_MARK: mark,
    }).done;
    expect(r.stderr).toContain("node-http");
    expect(r.code).toBe(0);
    // --json prints the result's content; the human lines (on stderr) name the file.
    const file = /result: (.+)/.exec(r.stderr)![1]!;
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(file, "utf8")));
    const rel = relative(results, file).split(sep);
    expect(rel).toHaveLength(2);
    expect(rel[1]).toMatch(/^\d{8}T\d{6}Z-quick\.json$/);

    const result = parseResultFile(JSON.parse(readFileSync(file, "utf8")));
    expect(rel[0]).toBe(result.env.hardwareId);
    expect(result.completeness).toBe("complete");
    expect(result.env.targets["node-http"]?.["node"]).toBe(process.version);
    const run = result.runs[0]!;
    expect(run.status).toBe("ok");
    if (run.status !== "ok") return;
    expect(run.rps).toBeGreaterThan(100);
    expect(run.requests).toBeGreaterThan(200);
    expect(run.durationS).toBeGreaterThan(1.5);
    expect(run.latencyUs.p50).toBeGreaterThan(0);
    expect(run.latencyUs.p99).toBeGreaterThanOrEqual(run.latencyUs.p50);
    expect(run.server.rssPeakBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(run.server.rssMeanBytes).toBeLessThanOrEqual(run.server.rssPeakBytes);
    expect(run.server.cpuPct).toBeGreaterThan(5);
    expect(run.client.cpuPct).toBeGreaterThan(5);
    // the target's own count agrees with the client's within the requests in flight at the edges
    expect(Math.abs(run.server.requestsCounted! - run.requests)).toBeLessThanOrEqual(run.requests * 0.05 + 64);
    expect(result.summary[0]!.rps!.median).toBe(run.rps);
    expect(markedPids(`EVBENCH_RUN_MARK=${mark}`)).toEqual([]);
  }, 60_000);
});
