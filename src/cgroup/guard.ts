// One run's memory groups: the target's and the generator's, made before the run, read after
// it, removed whatever happened. An OOM kill inside either is the run's failure, with its reason.
import { formatBytes } from "../present/format.js";
import { findCgroupRoot, MemoryCgroup, type CgroupMemory, type CgroupRoot } from "./memory.js";

let serial = 0;

/** A group name unique to this runner and run, prefixed so a stray one is known as ours. */
export function groupName(side: string): string {
  return `evbench-scaling-${process.pid}-${++serial}-${side}`;
}

/** Why the run failed for memory, or null: an OOM kill since `before`, named with the limit. */
export function oomReason(side: string, limitBytes: number, before: CgroupMemory, after: CgroupMemory): string | null {
  const kills = after.oomKills - before.oomKills;
  if (kills <= 0) return null;
  const peak = after.peakBytes === null ? "" : `, peak ${formatBytes(after.peakBytes)}`;
  return `oom: the kernel killed ${kills} process(es) of the ${side} in its memory cgroup (limit ${formatBytes(limitBytes)}${peak}); raise the scenario's memory limit or lower the level`;
}

export interface RunGroups {
  root: CgroupRoot;
  target: MemoryCgroup;
  generator: MemoryCgroup;
  /** Their counters when made (the baseline for OOM kills). */
  targetStart: CgroupMemory;
  generatorStart: CgroupMemory;
}

export function openRunGroups(limits: { target: number; generator: number }): RunGroups | { unavailable: string } {
  const root = findCgroupRoot();
  if ("unavailable" in root) return root;
  const target = MemoryCgroup.create(root, groupName("target"), limits.target);
  let generator: MemoryCgroup;
  try {
    generator = MemoryCgroup.create(root, groupName("generator"), limits.generator);
  } catch (e) {
    void target.remove();
    throw e;
  }
  return { root, target, generator, targetStart: target.read(), generatorStart: generator.read() };
}

/** The OOM reason of either side, the target's first; null when neither was killed. */
export function runOomReason(g: RunGroups): string | null {
  return oomReason("target", g.target.limitBytes, g.targetStart, g.target.read()) ?? oomReason("generator", g.generator.limitBytes, g.generatorStart, g.generator.read());
}

export async function closeRunGroups(g: RunGroups): Promise<void> {
  await Promise.all([g.target.remove(), g.generator.remove()]);
}
