// Which functions' shares changed most between two sets of profiles of one row: each side's
// runs pooled (their weights summed), shares taken of each side's own total, the difference in
// percentage points.
import { functionShares, type Folded } from "./folded.js";

export interface ShareChange {
  name: string;
  oldFlat: number;
  newFlat: number;
  oldCum: number;
  newCum: number;
}

/** The pooled profile of several runs (same kind and unit). */
export function pool(profiles: Folded[]): Folded | null {
  if (profiles.length === 0) return null;
  const stacks = profiles.flatMap((p) => p.stacks);
  const samples = profiles.every((p) => p.samples !== null) ? profiles.reduce((a, p) => a + p.samples!, 0) : null;
  return { unit: profiles[0]!.unit, stacks, total: stacks.reduce((a, s) => a + s.weight, 0), excluded: null, samples };
}

const flatMove = (c: ShareChange) => Math.abs(c.newFlat - c.oldFlat);
const cumMove = (c: ShareChange) => Math.abs(c.newCum - c.oldCum);

/**
 * The n functions whose own (flat) share moved the most, then by cumulative share: a change in
 * cumulative share alone repeats along a whole call chain, the flat one names where time went.
 */
export function shareChanges(oldP: Folded, newP: Folded, n: number): ShareChange[] {
  const byName = new Map<string, ShareChange>();
  const get = (name: string) => {
    let c = byName.get(name);
    if (!c) byName.set(name, (c = { name, oldFlat: 0, newFlat: 0, oldCum: 0, newCum: 0 }));
    return c;
  };
  for (const t of functionShares(oldP)) Object.assign(get(t.name), { oldFlat: t.flatShare, oldCum: t.cumShare });
  for (const t of functionShares(newP)) Object.assign(get(t.name), { newFlat: t.flatShare, newCum: t.cumShare });
  return [...byName.values()]
    .filter((c) => flatMove(c) > 0 || cumMove(c) > 0)
    .sort((a, b) => flatMove(b) - flatMove(a) || cumMove(b) - cumMove(a) || a.name.localeCompare(b.name))
    .slice(0, n);
}
