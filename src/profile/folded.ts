// Profiles in one shape whatever their source: weighted stacks, root first ("folded stacks"),
// and the top functions of them (flat: the function itself was running; cumulative: it was on
// the stack), each as a share of the profile's total.

export interface Stack {
  /** Function names, the outermost caller first, the running function last. */
  frames: string[];
  weight: number;
}

export interface Folded {
  /** What the weights count: "cpu ns" (pprof), "cpu us" (V8), "bytes allocated" (heap). */
  unit: string;
  stacks: Stack[];
  total: number;
  /** Weight left out of the total and the stacks (V8's idle time), in the same unit. */
  excluded: { label: string; weight: number } | null;
  /** Samples taken (a small count makes small shares coarse); null when the profile does not say. */
  samples: number | null;
}

export interface TopFunction {
  name: string;
  flat: number;
  cum: number;
  flatShare: number;
  cumShare: number;
}

export function makeFolded(unit: string, stacks: Stack[], excluded: Folded["excluded"] = null, samples: number | null = null): Folded {
  const kept = stacks.filter((s) => s.weight > 0 && s.frames.length > 0);
  return { unit, stacks: kept, total: kept.reduce((a, s) => a + s.weight, 0), excluded, samples };
}

/** end minus base, stack by stack (cumulative counters: what was added between the two). */
export function subtract(end: Folded, base: Folded): Folded {
  const key = (frames: string[]) => frames.join("\u0000");
  const before = new Map<string, number>();
  for (const s of base.stacks) before.set(key(s.frames), (before.get(key(s.frames)) ?? 0) + s.weight);
  const stacks = end.stacks.map((s) => {
    const k = key(s.frames);
    const w = Math.max(0, s.weight - (before.get(k) ?? 0));
    before.delete(k); // a stack listed twice is subtracted once
    return { frames: s.frames, weight: w };
  });
  return makeFolded(end.unit, stacks, null, null);
}

/** Every function's flat and cumulative weight (a recursive function counts once per stack). */
export function functionShares(f: Folded): TopFunction[] {
  const flat = new Map<string, number>();
  const cum = new Map<string, number>();
  for (const s of f.stacks) {
    const leaf = s.frames[s.frames.length - 1]!;
    flat.set(leaf, (flat.get(leaf) ?? 0) + s.weight);
    for (const name of new Set(s.frames)) cum.set(name, (cum.get(name) ?? 0) + s.weight);
  }
  const share = (x: number) => (f.total > 0 ? x / f.total : 0);
  return [...cum.entries()].map(([name, c]) => {
    const fl = flat.get(name) ?? 0;
    return { name, flat: fl, cum: c, flatShare: share(fl), cumShare: share(c) };
  });
}

/** The n functions with the most flat weight (ties: more cumulative first, then by name). */
export function topFunctions(f: Folded, n: number): TopFunction[] {
  return functionShares(f)
    .sort((a, b) => b.flat - a.flat || b.cum - a.cum || a.name.localeCompare(b.name))
    .slice(0, n);
}

/** Folded stacks as text, one `a;b;c weight` line each (the format flame-graph tools read). */
export function foldedText(f: Folded): string {
  const merged = new Map<string, number>();
  for (const s of f.stacks) {
    const key = s.frames.join(";");
    merged.set(key, (merged.get(key) ?? 0) + s.weight);
  }
  return [...merged.entries()].map(([k, w]) => `${k} ${w}`).join("\n") + "\n";
}
