// A user's server as a RunningTarget: a command or a built Go binary started in its own process
// group on a port the harness chose ({port}), GODEBUG=gctrace=1 added, ready by the scenario's
// probe; stopped with SIGTERM, then SIGKILL of the whole group after the grace period. It has no
// control channel: its counters come from src/runtime/, its profiles from net/http/pprof.
import net from "node:net";
import { createInterface } from "node:readline";

import { GcTrace, parseGcLine, withGcTrace } from "../runtime/gctrace.js";
import { HttpProfiler } from "../runtime/pprof-http.js";
import { RuntimeProbe } from "./runtime-stats.js";
import { describeExit, spawnGroup, type ExitInfo, type Spawned } from "../proc/spawn.js";
import { TargetError } from "./errors.js";
import type { RunningTarget } from "./process.js";
import type { PreparedUser } from "./user-prepare.js";
import { watchReady } from "./user-ready.js";
import { PORT_PLACEHOLDER } from "./user-spec.js";

export interface UserStart {
  name: string;
  host: string;
  env: Record<string, string>;
  args: string[];
  cpus: number[] | null;
  /** The window's length, for pprof's CPU profile (whole seconds). */
  windowS: number;
}

/** A free port on host, chosen by the system (closed again before the server binds it). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, host, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The stderr tail without the GC trace's lines (they would hide the error). */
export function errorTail(p: Pick<Spawned, "stderrTail">): string {
  return p
    .stderrTail()
    .split("\n")
    .filter((l) => !parseGcLine(l))
    .slice(-20)
    .join("\n");
}

function withTail(msg: string, p: Spawned): string {
  const tail = errorTail(p);
  return tail ? `${msg}; its stderr:\n${tail}` : msg;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

async function stopGroup(p: Spawned, graceMs: number): Promise<ExitInfo> {
  if (p.hasExited()) return p.exited;
  p.killGroup("SIGTERM");
  const termed = await Promise.race([p.exited, sleep(graceMs).then(() => null)]);
  if (termed) return termed;
  p.killGroup("SIGKILL");
  return p.exited;
}

/** The profile-start / profile-stop questions answered over HTTP; nothing else is asked of it. */
export function pprofAsk(name: string, profiler: HttpProfiler | null) {
  return async (line: string): Promise<string> => {
    if (!profiler) return JSON.stringify({ unsupported: `${name}: metrics.pprof is off` });
    if (line.startsWith("profile-start ")) return profiler.start(line.slice("profile-start ".length));
    if (line === "profile-stop") return profiler.stop();
    throw new TargetError(`${name} has no control channel (asked "${line.split(" ")[0]}")`);
  };
}

export async function startUserProcess(u: Extract<PreparedUser, { kind: "process" }>, o: UserStart): Promise<RunningTarget> {
  const port = await freePort(o.host);
  const sub = (x: string) => x.replaceAll(PORT_PLACEHOLDER, String(port));
  const env: Record<string, string> = Object.fromEntries(Object.entries({ ...u.env, ...o.env }).map(([k, v]) => [k, sub(v)]));
  if (u.common.metrics.gctrace) env.GODEBUG = withGcTrace(env.GODEBUG);
  const [cmd, ...args] = [...u.argv, ...o.args].map(sub) as [string, ...string[]];
  const p = spawnGroup({ cmd, args, env, cpus: o.cpus, cwd: u.cwd });
  const gc = u.common.metrics.gctrace ? new GcTrace() : null;
  const ready = watchReady(u.common.ready, o.host, port);
  createInterface({ input: p.child.stderr }).on("line", (l) => {
    if (!gc?.feed(l)) ready.line(l);
  });
  p.onLine((l) => ready.line(l));
  const died = p.exited.then((e) => Promise.reject(new Error(`${describeExit(e)} before it was ready`)));
  died.catch(() => {});
  try {
    await Promise.race([ready.ready, died]);
  } catch (e) {
    ready.cancel();
    p.killGroup("SIGKILL");
    await p.exited;
    throw new TargetError(withTail(`${o.name}: ${(e as Error).message}`, p));
  }
  const m = u.common.metrics;
  const probe = new RuntimeProbe(o.host, port, { prometheus: m.prometheus, expvar: m.expvar }, gc, versionsOf(u));
  const profiler = m.pprof === null ? null : new HttpProfiler(o.host, port, m.pprof, o.windowS);
  return {
    name: o.name,
    pid: p.pid,
    port,
    exited: p.exited,
    hasExited: p.hasExited,
    stderrTail: () => errorTail(p),
    stats: () => probe.stats(),
    ask: pprofAsk(o.name, profiler),
    stop: () => stopGroup(p, u.common.stopGraceMs),
  };
}

/** What names the running code, for the result's env.targets (the control channel's versions). */
export function versionsOf(u: PreparedUser): Record<string, string> {
  const r = u.record;
  const out: Record<string, string> = { form: r.form };
  if (r.goVersion) out.go = r.goVersion;
  if (r.repo) out.commit = `${r.repo.commit}${r.repo.dirty ? " (dirty)" : ""}`;
  if (r.rev) out.rev = r.rev;
  return out;
}
