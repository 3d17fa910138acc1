// Samples process groups at a fixed rate (10 Hz) and summarises a measurement window:
// peak and mean RSS from the samples inside it, CPU % from CPU time at its two edges.
import { sampleGroup, type ProcSample } from "./proc.js";

export interface WindowStats {
  rssPeakBytes: number;
  rssMeanBytes: number;
  // handbook (issue 18): how much RSS moves inside the window (T1's madvdontneed claim)
  /** max - min of the RSS samples in the window. */
  rssSwingBytes: number;
  /** Population standard deviation of the same samples. */
  rssStdBytes: number;
  // end handbook
  /** CPU time in the window / window length x 100 (100 = one CPU busy). */
  cpuPct: number;
  cpuSeconds: number;
  wallS: number;
  samples: number;
}

// The group's members are found by a scan of /proc (a read per process on the machine) once a
// second and at the window's edges, and only they are read in between. Scanning at every tick was
// the runner's main work during a window; on a small machine the runner shares the pinned CPUs,
// and its slices delayed the load generator's thread (p99 at 250 req/s against the c-floor:
// 1.2-2.3 ms from `npm run load` before, 0.24-0.76 ms after; 0.18-0.35 ms with no runner at all).
const TICKS_PER_SCAN = 10;

/** What a window samples a side with: a GroupSampler here, or one on the side's own host (ssh). */
export interface SamplerLike {
  start(): void;
  windowStart(): void;
  windowEnd(): WindowStats;
  lastRss(): number | null;
  stop(): void;
}

export class GroupSampler implements SamplerLike {
  private timer: NodeJS.Timeout | undefined;
  private members: number[] | null = null;
  private ticksSinceScan = 0;
  private inWindow = false;
  private rss: number[] = [];
  private startCpu = 0;
  private startWall = 0;
  private last: ProcSample | null = null;

  constructor(
    private readonly pgid: number,
    private readonly hz = 10,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), 1000 / this.hz);
    this.timer.unref();
  }

  /** `rescan`: find the members again now (the window's edges: a process that joined since the
   *  last scan counts in the CPU time they bound). */
  private tick(rescan = false): ProcSample {
    if (rescan || ++this.ticksSinceScan >= TICKS_PER_SCAN) this.members = null;
    if (this.members === null) this.ticksSinceScan = 0;
    const s = this.members === null ? sampleGroup(this.pgid) : sampleGroup(this.pgid, this.members);
    this.members = s.pids.length > 0 ? s.pids : null;
    if (s.pids.length > 0) this.last = s;
    if (this.inWindow && s.pids.length > 0) this.rss.push(s.rssBytes);
    return s;
  }

  windowStart(): void {
    const s = this.tick(true);
    this.inWindow = true;
    this.rss = [s.rssBytes];
    this.startCpu = s.cpuSeconds;
    this.startWall = performance.now();
  }

  windowEnd(): WindowStats {
    const s = this.tick(true);
    this.inWindow = false;
    const wallS = (performance.now() - this.startWall) / 1000;
    // A group that vanished at the edge keeps its last reading rather than reporting zero.
    const endCpu = s.pids.length > 0 ? s.cpuSeconds : (this.last?.cpuSeconds ?? this.startCpu);
    const cpuSeconds = Math.max(0, endCpu - this.startCpu);
    return { ...rssSummary(this.rss), cpuPct: wallS > 0 ? (cpuSeconds / wallS) * 100 : 0, cpuSeconds, wallS };
  }

  /** The latest RSS reading, for live display (null before the first). */
  lastRss(): number | null {
    return this.last?.rssBytes ?? null;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/** The RSS part of a window's summary from its samples (one zero sample when there were none). */
export function rssSummary(
  samples: readonly number[],
): Pick<WindowStats, "rssPeakBytes" | "rssMeanBytes" | "rssSwingBytes" | "rssStdBytes" | "samples"> {
  const rss = samples.length > 0 ? samples : [0];
  const mean = rss.reduce((a, b) => a + b, 0) / rss.length;
  return {
    rssPeakBytes: Math.max(...rss),
    rssMeanBytes: mean,
    rssSwingBytes: Math.max(...rss) - Math.min(...rss),
    rssStdBytes: Math.sqrt(rss.reduce((a, b) => a + (b - mean) ** 2, 0) / rss.length),
    samples: rss.length,
  };
}
