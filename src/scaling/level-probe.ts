// One level's probes, wrapped around the load generator so the ordinary run path (start, verify,
// window, stop) stays as it is: when the load starts, the target's idle state (RSS, descriptors,
// its cgroup's kernel memory, the kernel's socket counters); during the ramp, the target's
// descriptors every 50 ms (its accept rate); when the window opens, the same with N held, and the
// generator's RSS. The generator's client is moved into its own memory cgroup when it starts.
import { readFileSync } from "node:fs";

import type { LoadGenerator, LoadSpec, RunHooks } from "../load/types.js";
import { PAGE_SIZE, sampleGroup } from "../probe/proc.js";
import type { RunGroups } from "../cgroup/guard.js";
import type { CgroupMemory } from "../cgroup/memory.js";
import { countFds, readListenCounters, readSockstat, sockstatDelta, type ListenCounters, type Sockstat } from "./kernel-counters.js";
import type { LevelRecord, ScalingSection } from "../model/index.js";

const RAMP_SAMPLE_MS = 50;

interface Snapshot {
  rssBytes: number;
  fds: number;
  cgroup: CgroupMemory;
  sockstat: Sockstat;
}

function rssOf(pids: readonly number[]): number {
  let rss = 0;
  for (const pid of pids) {
    try {
      rss += Number(readFileSync(`/proc/${pid}/statm`, "latin1").split(" ")[1] ?? 0) * PAGE_SIZE;
    } catch {
      // exited
    }
  }
  return rss;
}

function snapshot(g: RunGroups): Snapshot {
  const pids = g.target.pids();
  return { rssBytes: rssOf(pids), fds: countFds(pids), cgroup: g.target.read(), sockstat: readSockstat() };
}

/** The target's descriptors over the ramp: when the first connection and the N-th were seen. */
class RampWatch {
  private firstAt: number | null = null;
  private doneAt: number | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(g: RunGroups, idleFds: number, connections: number) {
    const t0 = performance.now();
    this.timer = setInterval(() => {
      const gained = countFds(g.target.pids()) - idleFds;
      const now = (performance.now() - t0) / 1000;
      if (gained > 0 && this.firstAt === null) this.firstAt = now;
      if (gained >= connections && this.doneAt === null) {
        this.doneAt = now;
        this.stop();
      }
    }, RAMP_SAMPLE_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Seconds from the first to the last connection; null when not all were seen. The first is
   *  known only to within a sampling period: a ramp shorter than one reads as one period. */
  rampS(): number | null {
    if (this.firstAt === null || this.doneAt === null) return null;
    return Math.max(RAMP_SAMPLE_MS / 1000, this.doneAt - this.firstAt);
  }
}

export interface LevelProbe {
  generator: LoadGenerator;
  /** What was seen, or null when the window never opened. */
  record(): LevelRecord | null;
}

/** The generator's spec fields for many connections, passed only when the scenario gives them. */
function manyConnectionFields(s: ScalingSection): Record<string, number> {
  const out: Record<string, number> = {};
  if (s.connectRate !== undefined) out.connectRate = s.connectRate;
  if (s.active !== undefined) out.active = s.active;
  return out;
}

export function probeLevel(inner: LoadGenerator, g: RunGroups, section: ScalingSection, connections: number): LevelProbe {
  let idle: Snapshot | null = null;
  let held: Snapshot | null = null;
  let listenStart: ListenCounters | null = null;
  let listenEnd: ListenCounters | null = null;
  let ramp: RampWatch | null = null;
  let clientPid: number | null = null;
  let generatorRss: number | null = null;
  const generator: LoadGenerator = {
    name: inner.name,
    unavailableReason: () => inner.unavailableReason(),
    async run(spec: LoadSpec, hooks: RunHooks & { onClientPid?: (pid: number) => void }) {
      idle = snapshot(g);
      listenStart = readListenCounters();
      ramp = new RampWatch(g, idle.fds, connections);
      try {
        return await inner.run({ ...spec, ...manyConnectionFields(section) } as LoadSpec, {
          ...hooks,
          onClientPid: (pid) => {
            clientPid = pid;
            g.generator.add(pid);
            hooks.onClientPid?.(pid);
          },
          onMeasureStart: () => {
            ramp?.stop();
            held = snapshot(g);
            if (clientPid !== null) generatorRss = sampleGroup(clientPid).rssBytes;
            hooks.onMeasureStart?.();
          },
        });
      } finally {
        ramp.stop();
        listenEnd = readListenCounters();
      }
    },
  };
  return {
    generator,
    record: () => (idle && held ? levelRecord(g, connections, idle, held, ramp, listenStart, listenEnd, generatorRss) : null),
  };
}

function delta(a: number | null | undefined, b: number | null | undefined): number | null {
  return typeof a === "number" && typeof b === "number" ? b - a : null;
}

function levelRecord(
  g: RunGroups,
  n: number,
  idle: Snapshot,
  held: Snapshot,
  ramp: RampWatch | null,
  ls: ListenCounters | null,
  le: ListenCounters | null,
  generatorRss: number | null,
): LevelRecord {
  const rampS = ramp?.rampS() ?? null;
  const kernel = delta(idle.cgroup.kernelBytes, held.cgroup.kernelBytes);
  return {
    connections: n,
    held: Math.max(0, held.fds - idle.fds),
    idleRssBytes: idle.rssBytes,
    heldRssBytes: held.rssBytes,
    userBytesPerConn: (held.rssBytes - idle.rssBytes) / n,
    kernelBytesPerConn: kernel === null ? null : kernel / n,
    sockstat: sockstatDelta(idle.sockstat, held.sockstat),
    rampS,
    acceptPerSec: rampS === null ? null : n / rampS,
    listenOverflows: delta(ls?.listenOverflows, le?.listenOverflows),
    listenDrops: delta(ls?.listenDrops, le?.listenDrops),
    generatorRssBytes: generatorRss,
    generatorRssPerConnMax: generatorRss === null ? null : generatorRss / n,
    cgroup: {
      version: g.root.version,
      targetLimitBytes: g.target.limitBytes,
      generatorLimitBytes: g.generator.limitBytes,
      targetPeakBytes: g.target.read().peakBytes,
    },
  };
}
