// One run's memory groups: the target's and the generator's, made before the run, read after
// it, removed whatever happened. An OOM kill inside either is the run's failure, with its reason.
import { readdirSync } from "node:fs";

import { formatBytes } from "../present/format.js";
import { pidAlive } from "../proc/pid-alive.js";
import { findCgroupRoot, MemoryCgroup, type CgroupMemory, type CgroupRoot } from "./memory.js";

let serial = 0;
const PREFIX = "evbench-scaling-";

/** A group name unique to this runner and run, prefixed so a stray one is known as ours. */
export function groupName(side: string): string {
  return `${PREFIX}${process.pid}-${++serial}-${side}`;
}

/** Removes the groups of runners that died without removing theirs (SIGKILL runs no handler);
 *  a living runner's groups are left alone. Returns the names removed. */
export async function removeStaleGroups(root: CgroupRoot): Promise<string[]> {
  const removed: string[] = [];
  for (const name of readdirSync(root.dir)) {
    const owner = new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1];
    if (owner === undefined || pidAlive(Number(owner))) continue;
    await MemoryCgroup.open(root, name).remove();
    removed.push(name);
  }
  return removed;
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
  return (
    oomReason("target", g.target.limitBytes, g.targetStart, g.target.read()) ??
    oomReason("generator", g.generator.limitBytes, g.generatorStart, g.generator.read())
  );
}

export async function closeRunGroups(g: RunGroups): Promise<void> {
  await Promise.all([g.target.remove(), g.generator.remove()]);
}
