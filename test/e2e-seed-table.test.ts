// The flagship scenario in its short form, end to end on real processes: every row measured
// or carrying its reason, the claims carried into the result, claim and measurement side by side
// in the terminal.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { parseResultFile } from "../src/results/upgrade.js";
import { TARGETS } from "../src/targets/registry.js";
import { runCli } from "./helpers/cli.js";
import { markedPids } from "./helpers/procs.js";

describe("bench seed-table (short form)", () => {
  it("measures every available row, records a reason for the others, and prints claim beside measurement", async () => {
    const results = mkdtempSync(join(tmpdir(), "evbench-seed-"));
    const mark = `seed-${process.pid}`;
    const r = await runCli(["bench", "seed-table", "--duration", "3", "--warmup", "1", "--reps", "1", "--json"], {
      EVBENCH_RESULTS_DIR: results,
      EVBENCH_RUN_MARK: mark,
    }).done;
    // --json prints the result's content; the human lines (on stderr) name the file.
    const file = /result: (.+)/.exec(r.stderr)![1]!;
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(file, "utf8")));
    const result = parseResultFile(JSON.parse(readFileSync(file, "utf8")));

    expect(result.runs.map((x) => x.target)).toEqual([
      "gnet",
      "evio",
      "nethttp",
      "fasthttp",
      "native",
      "native-standalone",
      "node-http",
      "c-floor",
    ]); // handbook: + native-standalone
    for (const run of result.runs) {
      const def = TARGETS.find((t) => t.name === run.target)!;
      if (def.unavailableReason() === null) {
        // handbook: the c-floor answers POST /echo now
        expect(run.status, `${run.target}: ${run.status === "failed" ? run.failure : ""}`).toBe("ok");
        if (run.status !== "ok") continue;
        expect(run.rps).toBeGreaterThan(1000);
        expect(run.load).toMatchObject({ method: "POST", path: "/echo", bodyBytes: 1024, connections: 16, generator: "native" });
        expect(run.server.reqPerCpuSec).toBeGreaterThan(0);
        expect(run.client.reqPerCpuSec).toBeGreaterThan(0);
        expect(typeof run.client.clientBound).toBe("boolean");
        // the target's own count agrees with the generator's
        if (run.server.requestsCounted !== null) {
          expect(Math.abs(run.server.requestsCounted - run.requests)).toBeLessThanOrEqual(run.requests * 0.02 + 64);
        }
      } else {
        expect(run.status === "failed" && run.failure).toMatch(/unavailable/);
      }
    }
    const nethttp = result.runs.find((x) => x.target === "nethttp");
    if (nethttp?.status === "ok") {
      expect(nethttp.server.gcPerSec).toBeGreaterThan(0);
      expect(nethttp.server.allocBytesPerReq).toBeGreaterThan(0);
    }
    expect((result.scenario as { claims?: { reference?: string } }).claims?.reference).toBe("nethttp");
    expect(r.stderr).toMatch(/Claimed \(handbook section 4\.3/);
    expect(r.stderr).toMatch(/gnet\s+req\/s\s+248k/);
    // a row skipped by design is not a failure; a target that is not built here is
    expect(r.code).toBe(result.runs.some((x) => x.status === "failed") ? 1 : 0);
    expect(markedPids(`EVBENCH_RUN_MARK=${mark}`)).toEqual([]);
  }, 180_000);
});
