// A server already running at a loopback URL: no process control (it is not started or
// stopped), sampled through the process group of the process owning its listening socket.
import { HttpProfiler } from "../runtime/pprof-http.js";
import { RuntimeProbe } from "./runtime-stats.js";
import { listenerPid, processGroup } from "../probe/listener.js";
import { pidAlive } from "../proc/pid-alive.js";
import type { ExitInfo } from "../proc/spawn.js";
import { TargetError } from "./errors.js";
import type { RunningTarget } from "./process.js";
import type { PreparedUser } from "./user-prepare.js";
import { pprofAsk, versionsOf } from "./user-process.js";
import { watchReady } from "./user-ready.js";

const ALIVE_POLL_MS = 250;

/** Resolves when the process is gone (the server stopped under us). */
function whenGone(pid: number): { exited: Promise<ExitInfo>; gone: () => boolean; stop: () => void } {
  let gone = false;
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    timer = setInterval(() => {
      if (pidAlive(pid)) return;
      gone = true;
      clearInterval(timer);
      resolve({ code: null, signal: null });
    }, ALIVE_POLL_MS);
    timer.unref();
  });
  return { exited, gone: () => gone, stop: () => clearInterval(timer) };
}

export async function attachUserUrl(u: Extract<PreparedUser, { kind: "url" }>, name: string, windowS: number): Promise<RunningTarget> {
  const ready = watchReady(u.common.ready, u.host, u.port);
  try {
    await ready.ready;
  } catch (e) {
    throw new TargetError(`${name} (${u.record.url}): ${(e as Error).message}; is the server running?`);
  }
  const pid = listenerPid(u.port);
  const pgid = pid === null ? null : processGroup(pid);
  if (pid === null || pgid === null) {
    throw new TargetError(
      `${name}: no process visible here owns the socket listening on port ${u.port} (another user's?), so its CPU and RSS cannot be sampled; run evbench as that user`,
    );
  }
  const m = u.common.metrics;
  const probe = new RuntimeProbe(u.host, u.port, { prometheus: m.prometheus, expvar: m.expvar }, null, versionsOf(u));
  const profiler = m.pprof === null ? null : new HttpProfiler(u.host, u.port, m.pprof, windowS);
  const life = whenGone(pid);
  return {
    name,
    pid: pgid, // what GroupSampler samples: the listener's whole process group
    port: u.port,
    exited: life.exited,
    hasExited: life.gone,
    stderrTail: () => "",
    stats: () => probe.stats(),
    ask: pprofAsk(name, profiler),
    // Not ours to stop: only the watcher ends.
    stop: async () => (life.stop(), { code: 0, signal: null }),
  };
}
