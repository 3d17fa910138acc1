// The machine-speed probe against real processes: a window during which CPU hogs start on the
// probed CPU is judged slow-phase, with the slowdown split into its parts; a window beside which
// nothing started is not. The baseline is this test's own (a temporary results directory).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { readFileSync } from "node:fs";

import { afterAll, describe, expect, it } from "vitest";

import { CpuNoiseWindow } from "../src/probe/cpu-noise.js";

import { probeSpeed, SpeedBaseline, SpeedEdges } from "../src/probe/speed.js";
import { slowPhaseReasons } from "../src/verdict/slow-phase.js";
import { MAX_FOREIGN_PCT, MAX_SLOWDOWN } from "../src/verdict/thresholds.js";

const dir = mkdtempSync(join(tmpdir(), "evbench-noisy-speed-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CPU = 0;

/** CPU hogs pinned to `cpu`, each its own process group; stop() kills exactly them. */
function startHogs(cpu: number, n: number) {
  const hogs = Array.from({ length: n }, () =>
    spawn("taskset", ["-c", String(cpu), "sh", "-c", "while :; do :; done"], { detached: true, stdio: "ignore" }),
  );
  return {
    stop: () => {
      for (const h of hogs) process.kill(-h.pid!, "SIGKILL");
    },
  };
}

/** Processes runnable right now per CPU (/proc/loadavg's running count over the CPUs). */
function runnablePerCpu(): number {
  const [running] = readFileSync("/proc/loadavg", "utf8").split(" ")[3]!.split("/").map(Number);
  return running! / Number(readFileSync("/proc/cpuinfo", "utf8").match(/^processor/gm)!.length);
}

async function window(baseline: SpeedBaseline, during: () => Promise<void>) {
  const edges = new SpeedEdges([CPU], baseline);
  await edges.edge("start");
  await during();
  await edges.edge("end");
  return edges.record()!;
}

describe("machine-speed probe", () => {
  it("times fixed work and a loopback round trip on the pinned CPU", async () => {
    const [s] = await probeSpeed([CPU], "start");
    expect(s!.cpu).toBe(CPU);
    expect(s!.loopCpuUs).toBeGreaterThan(0);
    // wall time holds the CPU time (within the clocks' granularity, 1 ms for cpuUsage on some kernels)
    expect(s!.loopWallUs).toBeGreaterThan(s!.loopCpuUs - 1000);
    expect(s!.roundTripUs).toBeGreaterThan(0);
  }, 30_000);

  it("flags a window during which hogs started on its CPU, and not a quiet one", async () => {
    const baseline = new SpeedBaseline(dir);
    const first = await window(baseline, async () => {});
    expect(first.slowdown).toBeNull(); // a machine's first window has nothing to be judged against
    for (let i = 0; i < 2; i++) await window(baseline, async () => {}); // the baseline learns
    // Quiet: nothing of ours started beside it. If other processes kept the CPU busy anyway (a
    // shared machine), the probe rightly finds it slower and the window is not quiet: that case
    // is judged by the hogs below only.
    const noise = new CpuNoiseWindow([CPU]);
    noise.open();
    const quiet = await window(baseline, async () => {});
    const probesCpuS = (quiet.samples.reduce((a, x) => a + x.loopCpuUs, 0) * 3) / 1e6; // 3 tries each
    const others = noise.close(probesCpuS);
    if (others !== null && others.foreignPct <= MAX_FOREIGN_PCT)
      expect(slowPhaseReasons(quiet), JSON.stringify({ worst: quiet.worst, others })).toEqual([]);
    let hogs: ReturnType<typeof startHogs> | null = null;
    try {
      const slowed = await window(baseline, async () => {
        // Enough hogs to double what competes for the CPU, whatever already runs there.
        hogs = startHogs(CPU, Math.max(2, Math.ceil(runnablePerCpu())));
        await new Promise((r) => setTimeout(r, 300));
      });
      const [reason] = slowPhaseReasons(slowed);
      expect(reason?.code, JSON.stringify(slowed.worst)).toBe("slow-phase");
      expect(slowed.slowdown!).toBeGreaterThan(1 + MAX_SLOWDOWN);
      expect(slowed.worst!.edge).toBe("end");
      // The hogs share the CPU; the work itself is no slower: the split says which.
      expect(slowed.worst!.shared).toBeGreaterThan(slowed.worst!.work);
      expect(reason!.message).toMatch(/its loop \d+ % slower than this boot's fastest \(work [\d.]+x, CPU shared [\d.]+x/);
    } finally {
      (hogs as ReturnType<typeof startHogs> | null)?.stop();
    }
  }, 60_000);
});

describe("the baseline belongs to one boot", () => {
  it("a file learnt on another boot (another instance of the same hardware) is not judged against", async () => {
    const other = mkdtempSync(join(tmpdir(), "evbench-other-boot-"));
    try {
      // Another boot's baseline ten times faster than anything here: used, it would flag this window.
      const fast = { loopWallUs: 1, loopCpuUs: 1, roundTripUs: 0.1, probes: 50 };
      const stale = { schema: "evbench-speed-baseline/1", boot: "another-boot", cpus: { [CPU]: fast } };
      writeFileSync(join(other, "machine-speed.baseline"), JSON.stringify(stale));
      const baseline = new SpeedBaseline(other);
      const r = await window(baseline, async () => {});
      expect(r.baselineFrom).toBe(0);
      expect(slowPhaseReasons(r)).toEqual([]);
      const learnt = JSON.parse(readFileSync(baseline.path, "utf8"));
      expect(learnt.boot).toBe(readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim());
      expect(learnt.cpus[CPU].probes).toBe(2); // this window's two edges, not the stale 50 beside them
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 30_000);
});
