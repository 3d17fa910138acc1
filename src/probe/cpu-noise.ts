// Who else used the CPUs during a measurement window: steal (the hypervisor gave the CPU to
// another guest) and other processes' busy time, from /proc/stat's per-CPU lines at the window's
// two edges. The run's own CPU time (target, client, and this runner) is subtracted from the busy
// time; what is left belonged to someone else. Pinned runs judge their pinned CPUs; unpinned runs
// judge the whole machine. Thresholds: src/verdict/thresholds.ts.
import { readFileSync } from "node:fs";

import type { CpuNoise } from "../model/index.js";
import { CLK_TCK } from "./proc.js";

export interface CpuTimes {
  /** Ticks busy in processes (user, nice, system; guest time is inside user and nice). irq and
   *  softirq are left out: the run's own loopback traffic is processed there, and with
   *  IRQ time accounting it is charged to no process, so it would pass for someone else's. */
  busy: number;
  steal: number;
  /** Every tick (busy, idle, iowait, steal). */
  total: number;
}

/** Per-CPU times from /proc/stat's `cpuN` lines. */
export function parseProcStat(text: string): Map<number, CpuTimes> {
  const out = new Map<number, CpuTimes>();
  for (const line of text.split("\n")) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = m[2]!.trim().split(/\s+/).map(Number);
    const busy = user + nice + system;
    out.set(Number(m[1]), { busy, steal, total: busy + irq + softirq + idle + iowait + steal });
  }
  return out;
}

function readCpuTimes(): Map<number, CpuTimes> {
  try {
    return parseProcStat(readFileSync("/proc/stat", "latin1"));
  } catch {
    return new Map();
  }
}

function sum(m: Map<number, CpuTimes>, cpus: number[]): CpuTimes {
  const s = { busy: 0, steal: 0, total: 0 };
  for (const c of cpus) {
    const t = m.get(c);
    if (t) (s.busy += t.busy), (s.steal += t.steal), (s.total += t.total);
  }
  return s;
}

/** The window's CPU noise: `ownCpuSeconds` is the run's CPU time (target + client + runner). */
export function cpuNoiseBetween(
  a: Map<number, CpuTimes>,
  b: Map<number, CpuTimes>,
  cpus: number[],
  ownCpuSeconds: number,
): CpuNoise | null {
  const s = sum(a, cpus);
  const e = sum(b, cpus);
  const total = e.total - s.total;
  if (cpus.length === 0 || total <= 0) return null;
  const foreignTicks = Math.max(0, e.busy - s.busy - ownCpuSeconds * CLK_TCK);
  return { cpus, stealPct: (Math.max(0, e.steal - s.steal) / total) * 100, foreignPct: (foreignTicks / total) * 100 };
}

/** Opens at the window's start, closes at its end. */
export class CpuNoiseWindow {
  private start: Map<number, CpuTimes> | null = null;
  private ownStart = 0;
  readonly cpus: number[];

  /** `cpus`: the pinned CPUs (server and client), or null for every CPU. */
  constructor(cpus: number[] | null) {
    const all = [...readCpuTimes().keys()];
    this.cpus = cpus && cpus.length > 0 ? [...new Set(cpus)].sort((x, y) => x - y) : all;
  }

  open(): void {
    this.start = readCpuTimes();
    this.ownStart = runnerCpuSeconds();
  }

  /** `runCpuSeconds`: the target's and the client's CPU time over the window. */
  close(runCpuSeconds: number): CpuNoise | null {
    if (!this.start) return null;
    const own = runCpuSeconds + (runnerCpuSeconds() - this.ownStart);
    return cpuNoiseBetween(this.start, readCpuTimes(), this.cpus, own);
  }
}

function runnerCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
