// The GC trace parser against the Go runtime's own output: the example run with
// GODEBUG=gctrace=1 under traffic; every trace line parses, and the cycles and pauses it adds
// up agree with the same process's /metrics (client_golang's go_gc_duration_seconds).
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

import { beforeAll, describe, expect, it } from "vitest";

import { GcTrace, gcWindow, parseGcLine, withGcTrace } from "../src/runtime/gctrace.js";
import { httpGet } from "../src/runtime/http-get.js";
import { goFigures, parsePrometheusText } from "../src/runtime/prometheus.js";
import { freePort } from "../src/targets/user-process.js";
import { buildExample, tempDir } from "./helpers/user-example.js";

let bin = "";
beforeAll(() => {
  bin = buildExample(tempDir("gctrace"));
}, 240_000);

describe("gctrace", () => {
  it("parses a line as the runtime documents it, forced cycles included", () => {
    const c = parseGcLine(
      "gc 7 @0.512s 3%: 0.020+1.5+0.030 ms clock, 0.040+0.25/0.75/0.50+0.060 ms cpu, 4->5->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)",
    );
    expect(c).toMatchObject({
      cycle: 7,
      atS: 0.512,
      heapBeforeMB: 4,
      heapAfterMB: 5,
      heapLiveMB: 2,
      heapGoalMB: 5,
      gomaxprocs: 2,
      forced: true,
    });
    expect(c!.pauseNs).toBeCloseTo(50_000, 3); // 0.020 + 0.030 ms of stop-the-world
    expect(c!.cpuNs).toBeCloseTo((0.04 + 0.25 + 0.75 + 0.06) * 1e6, 3); // idle marking apart
    expect(c!.idleCpuNs).toBeCloseTo(500_000, 3);
    expect(parseGcLine("2026/12/03 06:28:24 listening on 127.0.0.1:18231")).toBeNull();
  });

  it("adds gctrace=1 to a variant's GODEBUG and keeps its own setting", () => {
    expect(withGcTrace(undefined)).toBe("gctrace=1");
    expect(withGcTrace("madvdontneed=1")).toBe("madvdontneed=1,gctrace=1");
    expect(withGcTrace("gctrace=2")).toBe("gctrace=2");
  });

  it("counts what the runtime counts: cycles and pause totals agree with /metrics", async () => {
    const port = await freePort("127.0.0.1");
    const child = spawn(bin, ["--addr", `127.0.0.1:${port}`], {
      env: { ...process.env, GODEBUG: "gctrace=1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    try {
      const trace = new GcTrace();
      const other: string[] = [];
      createInterface({ input: child.stderr! }).on("line", (l) => trace.feed(l) || other.push(l));
      await new Promise<void>((r) => child.stderr!.once("data", () => r()));
      const start = trace.snapshot();
      const t0 = performance.now();
      // ~3 KB allocated per request against a 4 MB minimum heap goal: a cycle every ~1,300.
      const worker = async () => {
        for (let i = 0; i < 1000; i++) await httpGet("127.0.0.1", port, "/api/items", 2000);
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      await new Promise((r) => setTimeout(r, 200)); // the last lines in flight
      const end = trace.snapshot();
      const m = goFigures(parsePrometheusText((await httpGet("127.0.0.1", port, "/metrics", 2000)).body.toString()));
      expect(end.cycles).toBeGreaterThan(3);
      // Every line of stderr was the server's start line or a trace line.
      expect(other.filter((l) => !l.includes("listening on"))).toEqual([]);
      expect(Math.abs(end.cycles - m.gcCycles!)).toBeLessThanOrEqual(1);
      // gctrace prints its phases rounded to two significant digits; the runtime sums exact values.
      expect(end.pauseNs / m.gcPauseNs!).toBeGreaterThan(0.8);
      expect(end.pauseNs / m.gcPauseNs!).toBeLessThan(1.25);
      const w = gcWindow(start, end, (performance.now() - t0) / 1000);
      expect(w.gomaxprocs).toBeGreaterThan(0);
      expect(w.gcCpuShare).toBeGreaterThan(0);
      expect(w.gcCpuShare).toBeLessThan(1);
    } finally {
      child.kill("SIGKILL");
    }
  }, 120_000);
});
