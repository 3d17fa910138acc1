// noisy, slow-phase: the machine-speed probe at the window's edges (src/probe/speed.ts) was
// slower than this boot's baseline: its loop's wall time beyond MAX_SLOWDOWN (the round trip is
// recorded, not judged: src/verdict/thresholds.ts). The message says how much and which
// part: the work itself (the host slower: frequency, caches, a busy sibling) or the CPU shared.
import type { SpeedRecord, VerdictReason } from "../model/index.js";
import { MAX_SLOWDOWN } from "./thresholds.js";

const times = (x: number) => `${x.toFixed(2)}x`;
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;

export function slowPhaseReasons(speed: SpeedRecord | null | undefined): VerdictReason[] {
  const w = speed?.worst;
  if (!speed || !w || speed.slowdown === null || speed.slowdown <= 1 + MAX_SLOWDOWN) return [];
  const where = w.cpu === null ? "unpinned" : `CPU ${w.cpu}`;
  const part = `work ${times(w.work)}, CPU shared ${times(w.shared)}; loopback round trip ${times(w.roundTrip)}, not judged`;
  return [
    {
      kind: "noisy",
      code: "slow-phase",
      message: `machine-speed probe at the window's ${w.edge} on ${where}: its loop ${pct(speed.slowdown - 1)} slower than this boot's fastest (${part}) > ${pct(MAX_SLOWDOWN)}`,
    },
  ];
}
