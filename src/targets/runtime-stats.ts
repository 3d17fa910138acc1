// A user's Go server's counters, in the control channel's `stats` shape, from what it exposes
// without any change to its code: the GC trace on its stderr and its /metrics or /debug/vars.
// Each figure names its source; one that could not be had is listed as missing with the reason
// (and the run's GC figures are then null, not zero: runtime "unknown").
import type { TargetStats } from "./stats.js";
import { gcWindow, type GcTotals, type GcTrace } from "../runtime/gctrace.js";
import { scrapeRuntime, type MetricsPaths } from "../runtime/scrape.js";

interface Edge {
  at: number;
  gc: GcTotals | null;
}

export class RuntimeProbe {
  private previous: Edge | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly paths: MetricsPaths,
    /** null: gctrace is off or the process is not ours (a URL target). */
    private readonly gc: GcTrace | null,
    private readonly versions: Record<string, string>,
  ) {}

  async stats(): Promise<TargetStats> {
    const gc = this.gc?.snapshot() ?? null;
    const edge: Edge = { at: performance.now(), gc };
    const scraped = await scrapeRuntime(this.host, this.port, this.paths);
    const figures = "figures" in scraped ? scraped.figures : null;
    const missing: Record<string, string> = {};
    if (!this.gc) missing.gctrace = "off (metrics.gctrace false) or not our process (a URL target)";
    if (!figures) missing.metrics = "missing" in scraped ? scraped.missing : "";
    // gctrace counts every cycle as it ends; a Go process that printed none yet has had none.
    const gcFrom =
      this.gc && (gc!.cycles > 0 || figures) ? "gctrace" : figures?.gcCycles != null ? ("source" in scraped ? scraped.source : null) : null;
    const sinceLastStats = this.previous?.gc && gc ? gcWindow(this.previous.gc, gc, (edge.at - this.previous.at) / 1000) : null;
    this.previous = edge;
    const known = gcFrom !== null;
    if (!known) missing.gc = "no GC trace line and no go_gc_duration_seconds / memstats.NumGC: is it a Go program?";
    return {
      runtime: known ? "go" : "unknown",
      gcCycles: gcFrom === "gctrace" ? gc!.cycles : (figures?.gcCycles ?? 0),
      gcPauseNs: gcFrom === "gctrace" ? gc!.pauseNs : (figures?.gcPauseNs ?? 0),
      allocBytes: figures?.allocBytes ?? null,
      allocObjects: figures?.allocObjects ?? null,
      heapBytes: figures?.heapBytes ?? null,
      requests: null,
      versions: this.versions,
      extra: {
        sources: { gc: gcFrom, alloc: figures?.allocBytes != null && "source" in scraped ? scraped.source : null },
        missing,
        ...(gc ? { gctrace: { cycles: gc.cycles, pauseNs: gc.pauseNs, cpuNs: gc.cpuNs, last: gc.last } } : {}),
        ...(figures ? { scraped: figures } : {}),
        // Since the previous stats call: at the window's end, the window itself.
        ...(sinceLastStats ? { gcSinceLastStats: sinceLastStats } : {}),
      },
    };
  }
}
