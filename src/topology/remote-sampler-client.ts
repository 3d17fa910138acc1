// The GroupSampler's interface for a process on another host: remote-sampler.js streams its
// group's CPU seconds and RSS over ssh ten times a second; the windows are cut here from the
// latest samples (so a window edge is up to 100 ms plus the ssh delay late: fine for seconds-long
// windows, and the same edge for CPU and RSS).
import { join } from "node:path";

import { DIST_DIR } from "../paths.js";
import { rssSummary, type SamplerLike, type WindowStats } from "../probe/sampler.js";
import { spawnGroup, type Spawned } from "../proc/spawn.js";
import type { Placement } from "../proc/placement.js";

interface Sample {
  cpu: number;
  rss: number;
  procs: number;
}

export class RemoteSampler implements SamplerLike {
  private p: Spawned | null = null;
  private last: Sample | null = null;
  private inWindow = false;
  private rss: number[] = [];
  private startCpu = 0;
  private startWall = 0;
  /** The window opened before the first sample came: it starts at that sample. */
  private startPending = false;
  /** The host's kernel TCP counters, as last streamed. */
  lastTcp: Record<string, number> | null = null;
  /** The last window's figures, for the per-host record. */
  lastWindow: WindowStats | null = null;

  constructor(
    private readonly place: Placement,
    private readonly mark: string,
  ) {}

  start(): void {
    this.p = spawnGroup({
      cmd: process.execPath,
      args: [join(DIST_DIR, "bin", "remote-sampler.js"), this.mark],
      place: { ...this.place, mark: undefined },
    });
    this.p.onLine((line) => {
      if (line.startsWith("T ")) {
        this.lastTcp = JSON.parse(line.slice(2)) as Record<string, number>;
        return;
      }
      const m = /^S (\S+) (\d+) (\d+)$/.exec(line);
      if (!m) return;
      const s = { cpu: Number(m[1]), rss: Number(m[2]), procs: Number(m[3]) };
      if (s.procs === 0) return;
      this.last = s;
      if (this.startPending) {
        this.startPending = false;
        this.startCpu = s.cpu;
        this.startWall = performance.now();
      }
      if (this.inWindow) this.rss.push(s.rss);
    });
  }

  windowStart(): void {
    this.inWindow = true;
    this.startPending = this.last === null;
    this.rss = this.last ? [this.last.rss] : [];
    this.startCpu = this.last?.cpu ?? 0;
    this.startWall = performance.now();
  }

  windowEnd(): WindowStats {
    this.inWindow = false;
    const wallS = (performance.now() - this.startWall) / 1000;
    const cpuSeconds = Math.max(0, (this.last?.cpu ?? this.startCpu) - this.startCpu);
    this.lastWindow = { ...rssSummary(this.rss), cpuPct: wallS > 0 ? (cpuSeconds / wallS) * 100 : 0, cpuSeconds, wallS };
    return this.lastWindow;
  }

  /** Resolves when the first TCP counters have arrived (false after timeoutMs). */
  async firstTcp(timeoutMs: number): Promise<boolean> {
    const until = performance.now() + timeoutMs;
    while (this.lastTcp === null && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
    return this.lastTcp !== null;
  }

  lastRss(): number | null {
    return this.last?.rss ?? null;
  }

  stop(): void {
    this.p?.child.stdin.end();
    this.p?.killGroup("SIGTERM");
  }
}
