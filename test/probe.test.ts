// The /proc probe against processes whose use is known: a spinning process uses one CPU, a
// process that touches 96 MiB holds at least that resident, an idle one uses almost no CPU.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { parseStat, sampleGroup } from "../src/probe/proc.js";
import { GroupSampler } from "../src/probe/sampler.js";

function startGroup(code: string) {
  // detached: its own process group, as targets and clients are started
  const child = spawn(process.execPath, ["-e", code], { detached: true, stdio: "ignore" });
  return { pid: child.pid!, stop: () => process.kill(-child.pid!, "SIGKILL") };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("/proc probe", () => {
  it("parses a stat line whose command name has spaces and parentheses", () => {
    const line = "1234 (my (odd) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 1 0 100 1000 10";
    expect(parseStat(line)).toEqual({ pgrp: 1234, utime: 250, stime: 50, cutime: 7, cstime: 3 });
  });

  it("sees a spinning process use the CPU the scheduler gave it", async () => {
    // On a busy machine a spinning process gets what the scheduler gives it, so the truth is the
    // scheduler's own account (/proc/<pid>/schedstat: ns on a CPU, ns waiting for one), not 100 %.
    const schedstat = (pid: number) =>
      readFileSync(`/proc/${pid}/schedstat`, "utf8").trim().split(" ").map(Number) as [number, number, number];
    const g = startGroup("for(;;){}");
    try {
      const s = new GroupSampler(g.pid);
      s.start();
      await sleep(300);
      const a = schedstat(g.pid);
      s.windowStart();
      await sleep(1500);
      const w = s.windowEnd();
      const b = schedstat(g.pid);
      s.stop();
      const ranS = (b[0] - a[0]) / 1e9;
      const waitedS = (b[1] - a[1]) / 1e9;
      // the probe's CPU time is the scheduler's, within a few clock ticks
      expect(Math.abs(w.cpuSeconds - ranS)).toBeLessThan(0.06 + 0.05 * ranS);
      // and the spinner was always running or waiting to run: it used what it could
      expect((ranS + waitedS) / w.wallS).toBeGreaterThan(0.85);
      expect(w.cpuPct).toBeLessThan(110);
      expect(w.wallS).toBeGreaterThan(1.4);
    } finally {
      g.stop();
    }
  });

  it("sees the resident memory a process touches, and almost no CPU when it sleeps", async () => {
    const g = startGroup("const b = Buffer.alloc(96 * 1024 * 1024, 1); setInterval(() => b[0]++, 1000);");
    try {
      await sleep(800);
      const s = new GroupSampler(g.pid);
      s.start();
      s.windowStart();
      await sleep(1200);
      const w = s.windowEnd();
      s.stop();
      expect(w.rssPeakBytes).toBeGreaterThan(96 * 2 ** 20);
      expect(w.rssMeanBytes).toBeLessThanOrEqual(w.rssPeakBytes);
      expect(w.samples).toBeGreaterThanOrEqual(8); // 10 Hz
      expect(w.cpuPct).toBeLessThan(10);
    } finally {
      g.stop();
    }
  });

  it("counts at the window's end a process that joined the group since the last scan", async () => {
    // The members are found again once a second and at the window's edges: a child that starts
    // spinning inside the window is in its CPU time through the end's scan. Judged by what the
    // scheduler gave the child (its schedstat), not by a share of an idle machine's CPU: on a
    // busy one a spinning child may get a tenth of a CPU.
    const g = startGroup(
      "setTimeout(() => require('child_process').spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }), 500); setInterval(() => {}, 1000);",
    );
    const ranS = (pid: number) => Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e9;
    try {
      const s = new GroupSampler(g.pid);
      s.start();
      await sleep(400);
      s.windowStart();
      const opened = performance.now();
      // the child, once it has had 50 ms of CPU (a few ticks: enough to be told from none)
      let child: number | undefined;
      while (performance.now() - opened < 10_000) {
        child = sampleGroup(g.pid).pids.find((p) => p !== g.pid);
        if (child !== undefined && ranS(child) >= 0.05) break;
        await sleep(20);
      }
      const w = s.windowEnd();
      const childRanS = ranS(child!);
      s.stop();
      // the child ran only inside the window; clock ticks (10 ms) at each edge
      expect(w.cpuSeconds, JSON.stringify({ childRanS, openS: (performance.now() - opened) / 1000 })).toBeGreaterThanOrEqual(
        childRanS * 0.9 - 0.02,
      );
    } finally {
      g.stop();
    }
  });

  it("counts every process of the group", async () => {
    const g = startGroup(
      "const { spawn } = require('child_process'); spawn(process.execPath, ['-e', 'setInterval(()=>{},1000)'], { stdio: 'ignore' }); setInterval(()=>{},1000);",
    );
    try {
      await sleep(800);
      expect(sampleGroup(g.pid).pids).toHaveLength(2);
    } finally {
      g.stop();
    }
  });
});
