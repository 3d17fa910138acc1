// Memory cgroups on this machine's real kernel: a process that allocates past its group's small
// limit is killed by the kernel and the kill is reported as the run's reason; one that stays
// under it runs to its end; the groups are gone afterwards.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { closeRunGroups, oomReason, openRunGroups, removeStaleGroups, runOomReason } from "../src/cgroup/guard.js";
import { argvInCgroup, findCgroupRoot, MemoryCgroup, parseKeyValues } from "../src/cgroup/memory.js";

const MiB = 1024 * 1024;
const root = findCgroupRoot();

/** Runs node in the group, touching `mib` MiB page by page; resolves with how it ended. */
function allocateIn(g: MemoryCgroup, mib: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const code = `const b=[];for(let i=0;i<${mib};i++){const x=Buffer.alloc(${MiB});x.fill(1);b.push(x);}process.stdout.write("done")`;
  const argv = argvInCgroup(g, process.execPath, ["-e", code]);
  const child = spawn(argv.cmd, argv.args, { stdio: "ignore" });
  return new Promise((resolve) => child.on("exit", (c, s) => resolve({ code: c, signal: s })));
}

describe.skipIf("unavailable" in root)("memory cgroups", () => {
  it("kills a process that allocates past its limit and reports it as the run's failure", async () => {
    const groups = openRunGroups({ target: 96 * MiB, generator: 96 * MiB });
    if ("unavailable" in groups) throw new Error(groups.unavailable);
    try {
      const end = await allocateIn(groups.target, 400);
      expect(end.signal).toBe("SIGKILL");
      const reason = runOomReason(groups);
      expect(reason).toMatch(/^oom: the kernel killed \d+ process\(es\) of the target in its memory cgroup \(limit 96(\.0)? MiB/);
      // The kill came at the limit, not before it (failcnt is not kept by every kernel: this one's is 0).
      const peak = groups.target.read().peakBytes;
      if (peak !== null) expect(peak).toBeGreaterThan(90 * MiB);
    } finally {
      await closeRunGroups(groups);
    }
    expect(existsSync(groups.target.path)).toBe(false);
    expect(existsSync(groups.generator.path)).toBe(false);
  }, 30_000);

  it("lets a process under its limit finish, charges what it touched, and reports no OOM", async () => {
    const groups = openRunGroups({ target: 256 * MiB, generator: 96 * MiB });
    if ("unavailable" in groups) throw new Error(groups.unavailable);
    try {
      const end = await allocateIn(groups.target, 64);
      expect(end).toEqual({ code: 0, signal: null });
      expect(runOomReason(groups)).toBeNull();
      const peak = groups.target.read().peakBytes;
      if (peak !== null) expect(peak).toBeGreaterThan(64 * MiB);
    } finally {
      await closeRunGroups(groups);
    }
  }, 30_000);

  it("removes a dead runner's groups, with what is left in them, and leaves a living runner's", async () => {
    if ("unavailable" in root) return;
    const gone = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    await new Promise((r) => gone.on("exit", r));
    const stale = MemoryCgroup.create(root, `evbench-scaling-${gone.pid}-1-target`, 96 * MiB);
    const leftover = spawn(argvInCgroup(stale, "sleep", ["30"]).cmd, argvInCgroup(stale, "sleep", ["30"]).args, { stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 200));
    expect(stale.pids()).toContain(leftover.pid);
    const mine = MemoryCgroup.create(root, `evbench-scaling-${process.pid}-999-target`, 96 * MiB);
    try {
      expect(await removeStaleGroups(root)).toContain(`evbench-scaling-${gone.pid}-1-target`);
      expect(existsSync(stale.path)).toBe(false);
      expect(existsSync(mine.path)).toBe(true);
    } finally {
      await mine.remove();
    }
  }, 30_000);

  it("removes a group whose process is still running (it is killed first)", async () => {
    const groups = openRunGroups({ target: 96 * MiB, generator: 96 * MiB });
    if ("unavailable" in groups) throw new Error(groups.unavailable);
    const argv = argvInCgroup(groups.generator, process.execPath, ["-e", "setInterval(()=>{},1000)"]);
    const child = spawn(argv.cmd, argv.args, { stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 300));
    expect(groups.generator.pids()).toContain(child.pid);
    await closeRunGroups(groups);
    expect(existsSync(groups.generator.path)).toBe(false);
  }, 30_000);
});

describe("cgroup counters", () => {
  it("reads v1 memory.oom_control and v2 memory.events lines", () => {
    expect(parseKeyValues("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n")).toEqual({ oom_kill_disable: 0, under_oom: 0, oom_kill: 3 });
    expect(parseKeyValues("low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n").max).toBe(12);
  });

  it("names no OOM when the kill count did not move", () => {
    const m = { usageBytes: 0, peakBytes: null, kernelBytes: null, tcpBytes: null, oomKills: 2, limitHits: 5 };
    expect(oomReason("target", MiB, m, { ...m, limitHits: 9 })).toBeNull();
    expect(oomReason("generator", MiB, m, { ...m, oomKills: 3 })).toMatch(/of the generator/);
  });
});
