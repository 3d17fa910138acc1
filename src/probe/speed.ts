// The machine-speed probe: fixed work timed on each pinned CPU at a window's two edges (just
// before the load starts and just after it ends, so the run's own load is not what it times),
// judged against the fastest this machine has done (src/probe/speed-baseline.ts). A window whose
// probe is slower than the baseline beyond MAX_SLOWDOWN (src/verdict/thresholds.ts) ran in a
// slow phase (src/verdict/slow-phase.ts). The worker: src/probe/speed-child.ts, one per CPU,
// started once and asked again at every edge (src/probe/speed-workers.ts).
import type { SpeedRecord, SpeedSample } from "../model/index.js";
import { SpeedBaseline } from "./speed-baseline.js";
import { speedWorkers } from "./speed-workers.js";

/** Every distinct pinned CPU at once (each probe on its own CPU), or one unpinned probe. */
export async function probeSpeed(cpus: number[] | null, edge: SpeedSample["edge"]): Promise<SpeedSample[]> {
  const list = cpus && cpus.length > 0 ? [...new Set(cpus)].sort((a, b) => a - b) : [null];
  const answers = await Promise.all(list.map((c) => speedWorkers.probe(c)));
  return answers.map((m, i) => ({ edge, cpu: list[i]!, loopWallUs: m.loopWallUs, loopCpuUs: m.loopCpuUs, roundTripUs: m.roundTripUs }));
}

/** The probe of one window: `edge()` before the load and after it, then `record()`. */
export class SpeedEdges {
  private readonly samples: SpeedSample[] = [];
  private failure: string | null = null;

  constructor(
    private readonly cpus: number[] | null,
    private readonly baseline: SpeedBaseline,
  ) {}

  async edge(at: SpeedSample["edge"]): Promise<void> {
    try {
      this.samples.push(...(await probeSpeed(this.cpus, at)));
    } catch (e) {
      // A probe that cannot run says so in the result; it never fails the run it would judge.
      this.failure = `machine-speed probe failed: ${(e as Error).message.split("\n")[0]}`;
    }
  }

  /** The window's probes against the baseline (which then learns from them). */
  record(): SpeedRecord | null {
    if (this.failure !== null) return { samples: this.samples, slowdown: null, worst: null, baselineFrom: 0, failure: this.failure };
    if (this.samples.length === 0) return null;
    return this.baseline.judge(this.samples);
  }
}

export { SpeedBaseline };
export { closeSpeedWorkers, startSpeedWorkers } from "./speed-workers.js";
