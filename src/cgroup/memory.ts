// A memory cgroup for one process tree (a target, a generator): created with a limit, entered by
// the process itself before it execs (so every byte it allocates is charged), read for usage and
// OOM kills, removed afterwards. cgroup v2 where its memory controller is mounted, else v1.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type CgroupVersion = "v1" | "v2";

export interface CgroupRoot {
  version: CgroupVersion;
  /** The folder new groups are made in. */
  dir: string;
}

/** What the kernel says about a group's memory now. */
export interface CgroupMemory {
  usageBytes: number;
  /** The highest usage since the group was made (v1 memory.max_usage_in_bytes, v2 memory.peak); null: not kept. */
  peakBytes: number | null;
  /** Kernel memory charged to the group (v1 memory.kmem.usage_in_bytes, v2 memory.stat kernel); null: not kept. */
  kernelBytes: number | null;
  /** Socket buffers charged to the group (v1 memory.kmem.tcp.usage_in_bytes, v2 memory.stat sock); null: not kept. */
  tcpBytes: number | null;
  /** Processes the kernel's OOM killer killed inside the group. */
  oomKills: number;
  /** Times the limit was hit (v1 memory.failcnt or memsw.failcnt, v2 memory.events max). */
  limitHits: number;
}

const V2_ROOTS = ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"];
const V1_ROOT = "/sys/fs/cgroup/memory";

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** Where memory cgroups can be made here; null (with why) when nowhere. */
export function findCgroupRoot(): CgroupRoot | { unavailable: string } {
  for (const dir of V2_ROOTS) {
    const controllers = readText(join(dir, "cgroup.controllers"));
    const subtree = readText(join(dir, "cgroup.subtree_control"));
    if (controllers?.split(/\s+/).includes("memory") && subtree?.split(/\s+/).includes("memory")) return { version: "v2", dir };
  }
  if (existsSync(join(V1_ROOT, "memory.limit_in_bytes"))) return { version: "v1", dir: V1_ROOT };
  return { unavailable: "no memory cgroup controller is mounted (neither cgroup v2 with memory enabled nor v1 at /sys/fs/cgroup/memory)" };
}

/** "key value" lines (memory.stat, memory.events, memory.oom_control) into numbers. */
export function parseKeyValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^\d+$/.test(v)) out[k] = Number(v);
  }
  return out;
}

function readNumber(path: string): number | null {
  const t = readText(path);
  if (t === null) return null;
  const n = Number(t.trim());
  return Number.isFinite(n) ? n : null;
}

export class MemoryCgroup {
  private constructor(
    readonly root: CgroupRoot,
    readonly path: string,
    readonly limitBytes: number,
  ) {}

  /** Makes the group `name` under the root with its hard limit (and no swap to escape to). */
  static create(root: CgroupRoot, name: string, limitBytes: number): MemoryCgroup {
    const path = join(root.dir, name);
    mkdirSync(path);
    const g = new MemoryCgroup(root, path, limitBytes);
    try {
      if (root.version === "v2") {
        writeFileSync(join(path, "memory.max"), String(limitBytes));
        if (existsSync(join(path, "memory.swap.max"))) writeFileSync(join(path, "memory.swap.max"), "0");
      } else {
        writeFileSync(join(path, "memory.limit_in_bytes"), String(limitBytes));
        if (existsSync(join(path, "memory.memsw.limit_in_bytes")))
          writeFileSync(join(path, "memory.memsw.limit_in_bytes"), String(limitBytes));
      }
    } catch (e) {
      rmdirSync(path);
      throw e;
    }
    return g;
  }

  /** An existing group (a dead runner's, to be removed); its limit is not read. */
  static open(root: CgroupRoot, name: string): MemoryCgroup {
    return new MemoryCgroup(root, join(root.dir, name), 0);
  }

  /** The file a process writes its pid to, to enter the group. */
  get procsFile(): string {
    return join(this.path, "cgroup.procs");
  }

  /** Moves a running process (all its threads) into the group; memory it holds already stays where it was charged. */
  add(pid: number): void {
    writeFileSync(this.procsFile, String(pid));
  }

  pids(): number[] {
    return (readText(this.procsFile) ?? "")
      .split("\n")
      .filter((l) => /^\d+$/.test(l))
      .map(Number);
  }

  read(): CgroupMemory {
    return this.root.version === "v2" ? this.readV2() : this.readV1();
  }

  private readV1(): CgroupMemory {
    const oom = parseKeyValues(readText(join(this.path, "memory.oom_control")) ?? "");
    return {
      usageBytes: readNumber(join(this.path, "memory.usage_in_bytes")) ?? 0,
      peakBytes: readNumber(join(this.path, "memory.max_usage_in_bytes")),
      kernelBytes: readNumber(join(this.path, "memory.kmem.usage_in_bytes")),
      tcpBytes: readNumber(join(this.path, "memory.kmem.tcp.usage_in_bytes")),
      oomKills: oom.oom_kill ?? 0,
      // With a memsw limit equal to the memory limit the kernel may count the hit on either.
      limitHits: Math.max(readNumber(join(this.path, "memory.failcnt")) ?? 0, readNumber(join(this.path, "memory.memsw.failcnt")) ?? 0),
    };
  }

  private readV2(): CgroupMemory {
    const stat = parseKeyValues(readText(join(this.path, "memory.stat")) ?? "");
    const events = parseKeyValues(readText(join(this.path, "memory.events")) ?? "");
    return {
      usageBytes: readNumber(join(this.path, "memory.current")) ?? 0,
      peakBytes: readNumber(join(this.path, "memory.peak")),
      kernelBytes: stat.kernel ?? null,
      tcpBytes: stat.sock ?? null,
      oomKills: events.oom_kill ?? 0,
      limitHits: events.max ?? 0,
    };
  }

  /** Kills what is left inside, then removes the group (the kernel refuses while a task remains). */
  async remove(): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      for (const pid of this.pids()) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // gone already
        }
      }
      try {
        rmdirSync(this.path);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    throw new Error(`could not remove the memory cgroup ${this.path}: tasks remain in it`);
  }
}

/** argv that enters the group before it execs the command, so nothing it allocates escapes the limit. */
export function argvInCgroup(g: MemoryCgroup, cmd: string, args: string[]): { cmd: string; args: string[] } {
  return { cmd: "/bin/sh", args: ["-c", 'echo $$ > "$0" && exec "$@"', g.procsFile, cmd, ...args] };
}
