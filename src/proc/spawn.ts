// Starts a child in its own process group (so the whole tree can be signalled at once),
// optionally pinned with taskset, tracked by the reaper (the last resort on exit), stopped when
// its AbortSignal fires, with stdout split into lines and the tail of stderr kept for errors.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";

import { trackGroup, untrackGroup } from "./reaper.js";
import { placeArgv, type Placement } from "./placement.js";

export interface SpawnOptions {
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  cpus?: number[] | null;
  cwd?: string;
  /** Aborting kills the child's whole group (SIGTERM, then SIGKILL after a grace period). */
  signal?: AbortSignal;
  /** Extra descriptors given to the child as fd 3, 4, ... */
  extraFds?: number[];
  /** Where the process runs (a namespace, a host over ssh); null: here. */
  place?: Placement | null;
}

const ABORT_GRACE_MS = 500;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Spawned {
  pid: number;
  child: ChildProcessWithoutNullStreams;
  exited: Promise<ExitInfo>;
  /** Whether the process has exited already. */
  hasExited(): boolean;
  onLine(fn: (line: string) => void): void;
  stderrTail(): string;
  /** Signals the whole process group; no error if it is gone. */
  killGroup(signal: NodeJS.Signals): void;
}

/** How long a child's stdout may stay open after it exited before its exit is reported anyway. */
const STDOUT_GRACE_MS = 2000;
const STDERR_KEEP = 8192;

export function describeExit(e: ExitInfo): string {
  return e.signal ? `killed by ${e.signal}` : `exited with code ${e.code}`;
}

export function spawnGroup(o: SpawnOptions): Spawned {
  const pinned = o.cpus && o.cpus.length > 0;
  const [cmd, ...args] = placeArgv(
    o.place,
    pinned ? ["taskset", "-c", o.cpus!.join(","), o.cmd, ...o.args] : [o.cmd, ...o.args],
    o.env,
  ) as [string, ...string[]];
  const child = spawn(cmd, args, {
    cwd: o.cwd,
    env: { ...process.env, ...(o.env ?? {}) },
    detached: true, // setsid: its own process group, signalled as -pid
    stdio: ["pipe", "pipe", "pipe", ...(o.extraFds ?? [])],
  }) as ChildProcessWithoutNullStreams;
  if (child.pid === undefined) {
    // spawn failed synchronously (ENOENT is reported on 'error'); surface it below
  }
  const pid = child.pid ?? -1;
  if (pid > 0) trackGroup(pid);
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d: string) => {
    stderr = (stderr + d).slice(-STDERR_KEEP);
  });
  const rl = createInterface({ input: child.stdout });
  const listeners: ((line: string) => void)[] = [];
  rl.on("line", (line) => {
    for (const fn of listeners) fn(line);
  });
  const stdoutEnded = new Promise<void>((resolve) => rl.once("close", resolve));
  let done = false;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.on("error", (err) => {
      stderr += `\n${cmd}: ${err.message}`;
      done = true;
      resolve({ code: 127, signal: null });
    });
    child.on("exit", (code, signal) => {
      done = true;
      // The leader is gone; its group may not be: kill stragglers before forgetting it.
      if (pid > 0) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // none left
        }
        untrackGroup(pid);
      }
      // 'exit' may come before the last lines are read (a client's result is its last line):
      // resolve once stdout has ended, or after a grace period if something still holds it.
      const grace = setTimeout(() => resolve({ code, signal }), STDOUT_GRACE_MS);
      void stdoutEnded.then(() => {
        clearTimeout(grace);
        resolve({ code, signal });
      });
    });
  });
  abortWith(o.signal, pid, exited);
  // A child that dies must not crash the runner with EPIPE on its stdin.
  child.stdin.on("error", () => {});
  return {
    pid,
    child,
    exited,
    hasExited: () => done,
    onLine: (fn) => listeners.push(fn),
    stderrTail: () => stderr.trim(),
    killGroup: (signal) => {
      if (pid <= 0) return;
      try {
        process.kill(-pid, signal);
      } catch {
        // already gone
      }
    },
  };
}

function killPgid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function abortWith(signal: AbortSignal | undefined, pid: number, exited: Promise<ExitInfo>): void {
  if (!signal || pid <= 0) return;
  const onAbort = () => {
    killPgid(pid, "SIGTERM");
    const t = setTimeout(() => killPgid(pid, "SIGKILL"), ABORT_GRACE_MS);
    t.unref();
    void exited.then(() => clearTimeout(t));
  };
  if (signal.aborted) onAbort();
  else {
    signal.addEventListener("abort", onAbort, { once: true });
    void exited.then(() => signal.removeEventListener("abort", onAbort));
  }
}
