// The Go runtime's GC trace (GODEBUG=gctrace=1), one line per cycle on stderr, parsed without
// touching the service's code. Format (runtime/mgc.go, Go 1.21+):
//   gc 12 @3.021s 4%: 0.031+1.2+0.019 ms clock, 0.06+0.3/0.9/0.1+0.038 ms cpu, 4->4->1 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P
// The clock triple is STW sweep termination, concurrent mark, STW mark termination; the cpu
// fields are sweep termination, mark assist/background/idle, mark termination.

export interface GcCycle {
  cycle: number;
  /** Seconds since the program started. */
  atS: number;
  /** Stop-the-world wall time of the cycle (sweep termination + mark termination), ns. */
  pauseNs: number;
  /** Wall time of the concurrent mark phase, ns. */
  concurrentNs: number;
  /** CPU spent on GC work: sweep term + assist + background + mark term (idle marking excluded:
   *  it runs only on Ps that had nothing else to do), ns. */
  cpuNs: number;
  /** Idle-P marking, ns (reported apart, not GC cost to the service). */
  idleCpuNs: number;
  heapBeforeMB: number;
  heapAfterMB: number;
  heapLiveMB: number;
  heapGoalMB: number;
  gomaxprocs: number;
  forced: boolean;
}

const MS = 1e6;
const LINE =
  /^gc (\d+) @([\d.]+)s \d+%: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock, ([\d.]+)\+([\d.]+)\/([\d.]+)\/([\d.]+)\+([\d.]+) ms cpu, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal,.* (\d+) P( \(forced\))?\s*$/;

/** One cycle from one stderr line, or null when the line is something else. */
export function parseGcLine(line: string): GcCycle | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const n = (i: number) => Number(m[i]);
  return {
    cycle: n(1),
    atS: n(2),
    pauseNs: (n(3) + n(5)) * MS,
    concurrentNs: n(4) * MS,
    cpuNs: (n(6) + n(7) + n(8) + n(10)) * MS,
    idleCpuNs: n(9) * MS,
    heapBeforeMB: n(11),
    heapAfterMB: n(12),
    heapLiveMB: n(13),
    heapGoalMB: n(14),
    gomaxprocs: n(15),
    forced: m[16] !== undefined,
  };
}

/** Running totals of the cycles seen so far; a snapshot at each window edge gives the window. */
export interface GcTotals {
  cycles: number;
  pauseNs: number;
  maxPauseNs: number;
  cpuNs: number;
  idleCpuNs: number;
  last: GcCycle | null;
}

export class GcTrace {
  private totals: GcTotals = { cycles: 0, pauseNs: 0, maxPauseNs: 0, cpuNs: 0, idleCpuNs: 0, last: null };

  /** Feeds one stderr line; returns whether it was a GC trace line. */
  feed(line: string): boolean {
    const c = parseGcLine(line);
    if (!c) return false;
    const t = this.totals;
    this.totals = {
      cycles: t.cycles + 1,
      pauseNs: t.pauseNs + c.pauseNs,
      maxPauseNs: Math.max(t.maxPauseNs, c.pauseNs),
      cpuNs: t.cpuNs + c.cpuNs,
      idleCpuNs: t.idleCpuNs + c.idleCpuNs,
      last: c,
    };
    return true;
  }

  snapshot(): GcTotals {
    return this.totals;
  }
}

/** The window's GC figures from two snapshots. gcCpuShare is GC CPU over the window's wall
 *  time across GOMAXPROCS Ps (what the runtime's own "N%" column approximates since start). */
export interface GcWindow {
  cycles: number;
  gcPerSec: number;
  pauseMs: number;
  /** The largest single pause of any cycle seen up to the window's end (not only inside it). */
  maxPauseMsSoFar: number;
  gcCpuShare: number | null;
  heapGoalMB: number | null;
  heapLiveMB: number | null;
  gomaxprocs: number | null;
}

export function gcWindow(a: GcTotals, b: GcTotals, wallS: number): GcWindow {
  const cycles = b.cycles - a.cycles;
  const procs = b.last?.gomaxprocs ?? null;
  return {
    cycles,
    gcPerSec: wallS > 0 ? cycles / wallS : 0,
    pauseMs: (b.pauseNs - a.pauseNs) / MS,
    maxPauseMsSoFar: b.maxPauseNs / MS,
    gcCpuShare: procs && wallS > 0 ? (b.cpuNs - a.cpuNs) / 1e9 / (wallS * procs) : null,
    heapGoalMB: b.last?.heapGoalMB ?? null,
    heapLiveMB: b.last?.heapLiveMB ?? null,
    gomaxprocs: procs,
  };
}

/** GODEBUG with gctrace=1 added, keeping what the variant set (a variant's own gctrace wins). */
export function withGcTrace(godebug: string | undefined): string {
  if (!godebug) return "gctrace=1";
  if (/(^|,)gctrace=/.test(godebug)) return godebug;
  return `${godebug},gctrace=1`;
}
