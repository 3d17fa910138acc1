// A running target: started per the contract, ready when it prints `READY <port>`, asked for
// its counters over the stdin/stdout control channel, stopped by closing stdin (then signals).
import { TargetError } from "./errors.js";
import { describeExit, spawnGroup, type ExitInfo, type Spawned } from "../proc/spawn.js";
import type { TargetDef, TargetMode } from "./registry.js";
import { parseStats, type TargetStats } from "./stats.js";
import type { Placement } from "../topology/placement.js"; // netns (issue 16)

export interface StartOptions {
  host: string;
  port: number;
  threads: number;
  mode: TargetMode;
  env: Record<string, string>;
  args: string[];
  cpus: number[] | null;
  readyTimeoutMs: number;
  /** netns (issue 16): where the target runs (a namespace, a host over ssh); null = here. */
  place?: Placement | null;
}


export interface RunningTarget {
  name: string;
  pid: number;
  port: number;
  exited: Promise<ExitInfo>;
  hasExited(): boolean;
  stderrTail(): string;
  stats(timeoutMs?: number): Promise<TargetStats>;
  stop(): Promise<ExitInfo>;
}

function withStderr(msg: string, p: Spawned): string {
  const tail = p.stderrTail();
  return tail ? `${msg}; its stderr:\n${tail.split("\n").slice(-20).join("\n")}` : msg;
}

export async function startTarget(def: TargetDef, o: StartOptions): Promise<RunningTarget> {
  const base = def.command();
  const p = spawnGroup({
    cmd: base.cmd,
    args: [...base.args, "--port", String(o.port), "--threads", String(o.threads), "--mode", o.mode, "--host", o.host, ...o.args],
    env: o.env,
    cpus: o.cpus,
    place: o.place, // netns (issue 16)
  });

  // After READY, each stdout line answers the oldest pending `stats` request.
  const pending: { resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  let readyResolve: (port: number) => void = () => {};
  const readyLine = new Promise<number>((r) => (readyResolve = r));
  let ready = false;
  p.onLine((line) => {
    if (!ready) {
      const m = /^READY (\d+)\s*$/.exec(line);
      if (m) {
        ready = true;
        readyResolve(Number(m[1]));
      }
      return;
    }
    pending.shift()?.resolve(line);
  });
  void p.exited.then((e) => {
    for (const w of pending.splice(0)) w.reject(new TargetError(withStderr(`${def.name} ${describeExit(e)}`, p)));
  });

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TargetError(withStderr(`${def.name} printed no READY line within ${o.readyTimeoutMs} ms`, p))),
      o.readyTimeoutMs,
    );
  });
  const died = p.exited.then((e) => {
    throw new TargetError(withStderr(`${def.name} ${describeExit(e)} before it was ready`, p));
  });
  let port: number;
  try {
    port = await Promise.race([readyLine, timeout, died]);
  } catch (e) {
    p.killGroup("SIGKILL");
    await p.exited;
    throw e;
  } finally {
    clearTimeout(timer);
  }

  const stats = async (timeoutMs = 5000): Promise<TargetStats> => {
    if (p.hasExited()) throw new TargetError(withStderr(`${def.name} has exited`, p));
    const line = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new TargetError(`${def.name} did not answer "stats" within ${timeoutMs} ms`)), timeoutMs);
      pending.push({
        resolve: (l) => (clearTimeout(t), resolve(l)),
        reject: (e) => (clearTimeout(t), reject(e)),
      });
      p.child.stdin.write("stats\n");
    });
    return parseStats(line, def.name);
  };

  const stop = async (): Promise<ExitInfo> => {
    if (p.hasExited()) return p.exited;
    p.child.stdin.end(); // the contract: EOF on stdin means exit at once
    const graceful = await Promise.race([p.exited, sleep(2000).then(() => null)]);
    if (graceful) return graceful;
    p.killGroup("SIGTERM");
    const termed = await Promise.race([p.exited, sleep(1000).then(() => null)]);
    if (termed) return termed;
    p.killGroup("SIGKILL");
    return p.exited;
  };

  return {
    name: def.name,
    pid: p.pid,
    port,
    exited: p.exited,
    hasExited: p.hasExited,
    stderrTail: p.stderrTail,
    stats,
    stop,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
