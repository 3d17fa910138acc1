// The machine-speed probe's workers (src/probe/speed-workers.ts): one process per CPU, started
// once and asked at every edge (starting Node per edge was most of the probe's cost), gone when
// closed, and replaced when one dies.
import { describe, expect, it } from "vitest";

import { probeSpeed } from "../src/probe/speed.js";
import { closeSpeedWorkers, speedWorkers } from "../src/probe/speed-workers.js";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Polls until `pid` is gone or `ms` pass; true when gone. */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (alive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return !alive(pid);
}

describe("machine-speed probe workers", () => {
  it("answers every edge from one worker per CPU, which leaves when closed", async () => {
    const [first] = await probeSpeed([0], "start");
    const pid = speedWorkers.pidOf(0)!;
    expect(pid).toBeGreaterThan(0);
    const [second] = await probeSpeed([0], "end");
    expect(speedWorkers.pidOf(0)).toBe(pid);
    for (const s of [first!, second!]) {
      expect(s.loopCpuUs).toBeGreaterThan(0);
      expect(s.roundTripUs).toBeGreaterThan(0);
    }
    expect(second!.edge).toBe("end");
    closeSpeedWorkers();
    expect(await goneWithin(pid, 10_000)).toBe(true);
  }, 30_000);

  it("replaces a worker that died, and the probe answers", async () => {
    await probeSpeed([0], "start");
    const pid = speedWorkers.pidOf(0)!;
    process.kill(pid, "SIGKILL");
    expect(await goneWithin(pid, 10_000)).toBe(true);
    // taskset execs node, so the pid is the worker's own and its exit is seen by the parent.
    const end = Date.now() + 10_000;
    while (speedWorkers.pidOf(0) === pid && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const [s] = await probeSpeed([0], "end");
    expect(s!.loopCpuUs).toBeGreaterThan(0);
    expect(speedWorkers.pidOf(0)).not.toBe(pid);
    closeSpeedWorkers();
  }, 30_000);
});
