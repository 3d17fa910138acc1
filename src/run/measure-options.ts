// What one run is given: the scenario, the target and variant, the repetition, the generator and
// where everything runs; and the live lines it reports while it measures.
import type { LoadGenerator, Progress } from "../load/types.js";
import type { SpeedBaseline } from "../probe/speed.js";
import type { ProfilePlace } from "../profile/take.js";
import type { ResolvedVariant, Scenario, ScenarioTarget } from "../scenario/load.js";
import type { TargetDef } from "../targets/registry.js";
import type { TlsFiles } from "../tls/certs.js";
import type { Topology } from "../topology/types.js";

export const INTERRUPTED = "interrupted: the runner was stopped (SIGINT or SIGTERM) before this run ended";

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
  /** The scenario run's certificate, made once for all its TLS runs (null/absent: none). */
  tls?: TlsFiles | null;
}
