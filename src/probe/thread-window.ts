// A server we did not start (`load` against a local URL): its CPU over the window and its
// allotment, from its threads. The allotment is the number of its threads that did work in the
// window (>= 10 % of a CPU), at most the CPUs it may run on: a one-loop server at 100 % of one
// CPU has no headroom even on a machine with more CPUs.
import { readdirSync, readFileSync } from "node:fs";

import { allowedCpus } from "./listener.js";
import { CLK_TCK, groupPids, parseStat } from "./proc.js";

const BUSY_THREAD_SHARE = 0.1;

function threadTicks(pgid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of groupPids(pgid)) {
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const st = parseStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, "latin1"));
        if (st) out.set(`${pid}/${tid}`, st.utime + st.stime);
      } catch {
        // thread gone
      }
    }
  }
  return out;
}

export interface ServerCpu {
  cpuPct: number;
  allotmentPct: number;
}

export class ThreadWindow {
  private start = new Map<string, number>();
  private t0 = 0;

  constructor(
    readonly pid: number,
    private readonly pgid: number,
  ) {}

  open(): void {
    this.start = threadTicks(this.pgid);
    this.t0 = performance.now();
  }

  close(): ServerCpu | null {
    const wallS = (performance.now() - this.t0) / 1000;
    const end = threadTicks(this.pgid);
    if (wallS <= 0 || end.size === 0) return null;
    let total = 0;
    let busy = 0;
    for (const [id, ticks] of end) {
      const d = (ticks - (this.start.get(id) ?? ticks)) / CLK_TCK;
      total += d;
      if (d / wallS >= BUSY_THREAD_SHARE) busy++;
    }
    const cpus = allowedCpus(this.pid) ?? 1;
    return { cpuPct: (total / wallS) * 100, allotmentPct: Math.max(1, Math.min(cpus, busy)) * 100 };
  }
}
