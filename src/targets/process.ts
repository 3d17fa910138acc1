// A running target: started per the contract, ready when it prints `READY <port>`, asked for
// its counters over the stdin/stdout control channel, stopped by closing stdin (then signals).
import { TargetError } from "./errors.js";
import { describeExit, spawnGroup, type ExitInfo, type Spawned } from "../proc/spawn.js";
import type { TargetDef, TargetMode } from "./registry.js";
import { parseStats, type TargetStats } from "./stats.js";
import type { Placement } from "../proc/placement.js";

export interface StartOptions {
  host: string;
  port: number;
  threads: number;
  mode: TargetMode;
  env: Record<string, string>;
  args: string[];
  cpus: number[] | null;
  readyTimeoutMs: number;
  /** Where the target runs (a namespace, a host over ssh); null = here. */
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
  /** One control-channel line (e.g. `profile-start <prefix>`), its one-line answer as text. */
  ask(line: string, timeoutMs: number): Promise<string>;
  stop(): Promise<ExitInfo>;
}

function withStderr(msg: string, p: Spawned): string {
  const tail = p.stderrTail();
  return tail ? `${msg}; its stderr:\n${tail.split("\n").slice(-20).join("\n")}` : msg;
}

/** After READY, each stdout line answers the oldest pending `stats` request. */
class ControlChannel {
  private readonly pending: { resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  private readyResolve: (port: number) => void = () => {};
  readonly ready = new Promise<number>((r) => (this.readyResolve = r));
  private isReady = false;

  constructor(
    private readonly p: Spawned,
    private readonly name: string,
  ) {
    p.onLine((line) => this.line(line));
    void p.exited.then((e) => {
      for (const w of this.pending.splice(0)) w.reject(new TargetError(withStderr(`${name} ${describeExit(e)}`, p)));
    });
  }

  private line(line: string): void {
    if (this.isReady) {
      this.pending.shift()?.resolve(line);
      return;
    }
    const m = /^READY (\d+)\s*$/.exec(line);
    if (m) {
      this.isReady = true;
      this.readyResolve(Number(m[1]));
    }
  }

  async stats(timeoutMs = 5000): Promise<TargetStats> {
    return parseStats(await this.ask("stats", timeoutMs), this.name);
  }

  /** Sends one line and waits for its answer (answers come in the order of the questions). */
  async ask(question: string, timeoutMs: number): Promise<string> {
    if (this.p.hasExited()) throw new TargetError(withStderr(`${this.name} has exited`, this.p));
    const what = question.split(" ")[0];
    return new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new TargetError(`${this.name} did not answer "${what}" within ${timeoutMs} ms`)), timeoutMs);
      this.pending.push({
        resolve: (l) => (clearTimeout(t), resolve(l)),
        reject: (e) => (clearTimeout(t), reject(e)),
      });
      this.p.child.stdin.write(`${question}\n`);
    });
  }
}

/** The port from READY, or a TargetError (no READY in time, or the target died first). */
async function waitReady(p: Spawned, ch: ControlChannel, name: string, timeoutMs: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TargetError(withStderr(`${name} printed no READY line within ${timeoutMs} ms`, p))), timeoutMs);
  });
  const died = p.exited.then((e) => {
    throw new TargetError(withStderr(`${name} ${describeExit(e)} before it was ready`, p));
  });
  try {
    return await Promise.race([ch.ready, timeout, died]);
  } catch (e) {
    p.killGroup("SIGKILL");
    await p.exited;
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** The contract's stop: EOF on stdin, then SIGTERM, then SIGKILL to the whole group. */
async function stopGently(p: Spawned): Promise<ExitInfo> {
  if (p.hasExited()) return p.exited;
  p.child.stdin.end();
  const graceful = await Promise.race([p.exited, sleep(2000).then(() => null)]);
  if (graceful) return graceful;
  p.killGroup("SIGTERM");
  const termed = await Promise.race([p.exited, sleep(1000).then(() => null)]);
  if (termed) return termed;
  p.killGroup("SIGKILL");
  return p.exited;
}

export async function startTarget(def: TargetDef, o: StartOptions): Promise<RunningTarget> {
  const base = def.command();
  const p = spawnGroup({
    cmd: base.cmd,
    args: [...base.args, "--port", String(o.port), "--threads", String(o.threads), "--mode", o.mode, "--host", o.host, ...o.args],
    env: o.env,
    cpus: o.cpus,
    place: o.place,
  });
  const ch = new ControlChannel(p, def.name);
  const port = await waitReady(p, ch, def.name, o.readyTimeoutMs);
  return {
    name: def.name,
    pid: p.pid,
    port,
    exited: p.exited,
    hasExited: p.hasExited,
    stderrTail: p.stderrTail,
    stats: (timeoutMs?: number) => ch.stats(timeoutMs),
    ask: (line: string, timeoutMs: number) => ch.ask(line, timeoutMs),
    stop: () => stopGently(p),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
