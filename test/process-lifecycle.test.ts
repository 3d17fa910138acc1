// A target that dies mid-run is a recorded failure with the partial result kept; SIGINT of the
// runner keeps the partial result too; and in both cases no process of the run remains.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { parseResultFile } from "../src/results/upgrade.js";
import { runCli } from "./helpers/cli.js";
import { markedPids, waitFor } from "./helpers/procs.js";

const dir = mkdtempSync(join(tmpdir(), "evbench-life-"));

function scenario(name: string, marker: string, durationS: number, reps = 1): string {
  const p = join(dir, `${name}.json`);
  const variant = { name: "marked", env: { EVBENCH_TEST_MARK: marker } };
  writeFileSync(
    p,
    JSON.stringify({
      name,
      targets: [{ name: "node-http", variants: [variant] }],
      serverThreads: 2,
      load: { generator: "autocannon", connections: 4 },
      warmupS: 0.5,
      durationS,
      repetitions: reps,
    }),
  );
  return p;
}

describe("process lifecycle", () => {
  it("records a target killed mid-run as failed, keeps the partial result, exits 1, leaves nothing behind", async () => {
    const marker = `EVBENCH_TEST_MARK=kill-${process.pid}`;
    const out = join(dir, "killed-result.json");
    // Everything the runner starts inherits the run mark; only the target carries the kill mark.
    const runMark = `EVBENCH_RUN_MARK=kill-${process.pid}`;
    const run = runCli(["bench", scenario("killed", marker.split("=")[1]!, 30, 2), "--out", out, "--json"], {
      EVBENCH_RUN_MARK: runMark.split("=")[1]!,
    });
    // Wait for the measurement to be under way, then kill the whole target (primary and workers).
    await waitFor(() => run.stdout().includes("measure"), 20_000, "the measurement to start");
    const pids = markedPids(marker);
    expect(pids.length).toBeGreaterThanOrEqual(3); // primary + 2 workers
    for (const pid of pids) process.kill(pid, "SIGKILL");
    const r = await run.done;
    expect(r.stderr).toMatch(/FAILED: node-http died during the load/);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`result: ${out}`); // --json: the result's content on stdout, the lines on stderr
    const result = parseResultFile(JSON.parse(readFileSync(out, "utf8")));
    expect(result.runs[0]!.status).toBe("failed");
    expect(result.runs[0]!.status === "failed" && result.runs[0]!.failure).toMatch(/node-http died during the load/);
    // the second repetition still ran: one target's death does not end the scenario
    expect(result.runs).toHaveLength(2);
    expect(markedPids(runMark)).toEqual([]);
  }, 120_000);

  it("on SIGINT stops targets and clients, writes a partial result, exits 1", async () => {
    const marker = `EVBENCH_TEST_MARK=int-${process.pid}`;
    const out = join(dir, "interrupted-result.json");
    const runMark = `EVBENCH_RUN_MARK=int-${process.pid}`;
    const run = runCli(["bench", scenario("interrupted", marker.split("=")[1]!, 30), "--out", out, "--json"], {
      EVBENCH_RUN_MARK: runMark.split("=")[1]!,
    });
    await waitFor(() => run.stdout().includes("measure"), 20_000, "the measurement to start");
    expect(markedPids(marker).length).toBeGreaterThan(0);
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.code).toBe(1);
    const result = parseResultFile(JSON.parse(readFileSync(out, "utf8")));
    expect(result.completeness).toBe("partial");
    expect(result.runs[0]!.status).toBe("failed");
    // the runner's own interruption, not the target's death
    const failure = result.runs[0]!.status === "failed" ? result.runs[0]!.failure : "";
    expect(failure).toMatch(/^interrupted: /);
    expect(failure).not.toMatch(/died/);
    await waitFor(() => markedPids(runMark).length === 0, 3000, "no process of the run left");
  }, 60_000);
});
