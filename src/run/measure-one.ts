// One run: start the target and verify its answers, measure the window (load with warm-up
// excluded; target and client sampled; the control channel's deltas), build the run with its
// verdict, stop everything. Any failure becomes a recorded failed run; nothing escapes as a crash.
import type { LoadGenerator, Progress } from "../load/types.js";
import type { Run } from "../results/schema.js";
import type { ResolvedVariant, Scenario, ScenarioTarget } from "../scenario/load.js";
import type { TargetDef } from "../targets/registry.js";
import type { ProfilePlace } from "../profile/take.js";
import type { SpeedBaseline } from "../probe/speed.js";
import { buildRun } from "./build-run.js";
import { loadSettingsFor } from "./load-spec.js";
import { measureWindow } from "./window.js";
import { startAndVerify } from "./start-verify.js";
import type { Topology } from "../topology/types.js";

export interface LiveLine {
  target: string;
  variant: string;
  rep: number;
  phase: Progress["phase"];
  elapsedS: number;
  rps: number;
  p99Us: number | null;
  rssBytes: number | null;
  /** The window's last line, from the recorded histogram: show it whatever the display's pace. */
  final?: boolean;
}

export interface MeasureOptions {
  scenario: Scenario;
  def: TargetDef;
  target: ScenarioTarget;
  variant: ResolvedVariant;
  rep: number;
  generator: LoadGenerator;
  host: string;
  /** Where the target and the client run (netns, ssh); absent: both here. */
  topology?: Topology;
  /** Aborting stops the client and the target; the run is recorded as interrupted. */
  signal?: AbortSignal;
  onLive?: (l: LiveLine) => void;
  /** bench --profile: where this run's profiles go (null/absent: no profiles). */
  profile?: ProfilePlace | null;
  /** The machine's speed baseline for the probe at the window's edges (null/absent: no probe). */
  speed?: SpeedBaseline | null;
}

export interface Measured {
  run: Run;
  versions: Record<string, string>;
}

export const INTERRUPTED = "interrupted: the runner was stopped (SIGINT or SIGTERM) before this run ended";

type RunKey = Pick<MeasureOptions, "scenario" | "target" | "variant" | "rep">;

function runBase(o: RunKey) {
  return { target: o.target.name, variant: o.variant.name, rep: o.rep, startedAt: new Date().toISOString(), load: loadSettingsFor(o.scenario, o.variant) };
}

export function skippedRun(o: RunKey, reason: string): Run {
  return { ...runBase(o), status: "skipped", reason };
}

export function failedRun(o: RunKey, failure: string): Run {
  return { ...runBase(o), status: "failed", failure };
}

export async function measureOne(o: MeasureOptions): Promise<Measured> {
  if (o.signal?.aborted) return { run: failedRun(o, INTERRUPTED), versions: {} };
  const startedAt = new Date().toISOString();
  const started = await startAndVerify(o);
  if ("failure" in started) return { run: failedRun(o, o.signal?.aborted ? INTERRUPTED : started.failure), versions: {} };
  const { target, versions } = started;
  try {
    const w = await measureWindow(o, target);
    if ("failure" in w) return { run: failedRun(o, w.failure), versions };
    return { run: buildRun(o, startedAt, w), versions };
  } catch (e) {
    return { run: failedRun(o, o.signal?.aborted ? INTERRUPTED : (e as Error).message), versions };
  } finally {
    await target.stop();
  }
}
