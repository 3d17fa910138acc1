// CPU noise from /proc/stat: steal and other processes' busy time on the judged CPUs, the run's
// own CPU time subtracted.
import { describe, expect, it } from "vitest";

import { CpuNoiseWindow, cpuNoiseBetween, parseProcStat } from "../src/probe/cpu-noise.js";
import { CLK_TCK } from "../src/probe/proc.js";

const stat = (c0: number[], c1: number[]) => `cpu  1 2 3 4 5 6 7 8 0 0\ncpu0 ${c0.join(" ")} 0 0\ncpu1 ${c1.join(" ")} 0 0\nintr 1 2 3\n`;

describe("cpu noise", () => {
  it("parses per-CPU lines: busy in processes (not irq/softirq), steal and total ticks", () => {
    const m = parseProcStat(stat([10, 1, 5, 100, 2, 1, 1, 3], [0, 0, 0, 50, 0, 0, 0, 0]));
    expect(m.get(0)).toEqual({ busy: 16, steal: 3, total: 123 });
    expect(m.get(1)).toEqual({ busy: 0, steal: 0, total: 50 });
    expect(m.has(2)).toBe(false);
  });

  it("foreign = busy - the run's own CPU time; steal over all time; only the judged CPUs", () => {
    const a = parseProcStat(stat([0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]));
    // CPU 0: 100 ticks, 60 busy, 10 steal; CPU 1: 100 ticks all busy (not judged)
    const b = parseProcStat(stat([50, 0, 10, 30, 0, 0, 0, 10], [100, 0, 0, 0, 0, 0, 0, 0]));
    const own = 40 / CLK_TCK; // 40 ticks were the run's
    const n = cpuNoiseBetween(a, b, [0], own)!;
    expect(n.stealPct).toBeCloseTo(10, 5);
    expect(n.foreignPct).toBeCloseTo(20, 5);
    expect(cpuNoiseBetween(a, b, [0], 1000)!.foreignPct).toBe(0);
  });

  it("reads this machine's /proc/stat over a real window", async () => {
    const w = new CpuNoiseWindow(null);
    expect(w.cpus.length).toBeGreaterThan(0);
    w.open();
    const end = Date.now() + 300;
    while (Date.now() < end); // this process's own busy time is subtracted below
    await new Promise((r) => setTimeout(r, 50));
    const n = w.close(0)!;
    expect(n.stealPct).toBeGreaterThanOrEqual(0);
    expect(n.foreignPct).toBeGreaterThanOrEqual(0);
    expect(n.foreignPct).toBeLessThanOrEqual(100);
  });
});
