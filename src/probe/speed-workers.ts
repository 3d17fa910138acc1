// The machine-speed probe's workers: one Node process per probed CPU (pinned with taskset, as
// targets and clients are), started once and kept blocked on stdin between edges. Starting Node
// at every edge cost 0.7-1.9 s of wall time per run on a busy machine, about ten times the probe's
// own work; a line on stdin now costs only that work. A worker that does not answer within
// ANSWER_TIMEOUT_MS is killed and the probe fails (the run is kept, its probe says why); the next
// edge starts a fresh one. Idle workers hold no reference on the event loop, so they never keep
// the runner alive, and they exit on stdin's end when it leaves.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { DIST_DIR } from "../paths.js";

const CHILD = join(DIST_DIR, "probe", "speed-child.js");
const ANSWER_TIMEOUT_MS = 20_000;

export interface SpeedAnswer {
  loopWallUs: number;
  loopCpuUs: number;
  roundTripUs: number;
}

interface Worker {
  child: ChildProcess;
  /** Answers awaited, in the order asked. */
  waiting: { resolve: (a: SpeedAnswer) => void; reject: (e: Error) => void }[];
  exited: string | null;
}

function refs(w: Worker, on: boolean): void {
  for (const h of [w.child, w.child.stdin, w.child.stdout] as ({ ref(): void; unref(): void } | null)[]) on ? h?.ref() : h?.unref();
}

function startWorker(cpu: number | null): Worker {
  const [cmd, args] = cpu === null ? [process.execPath, [CHILD]] : ["taskset", ["-c", String(cpu), process.execPath, CHILD]];
  const child = spawn(cmd, args as string[], { stdio: ["pipe", "pipe", "ignore"] });
  const w: Worker = { child, waiting: [], exited: null };
  createInterface({ input: child.stdout! }).on("line", (line) => {
    try {
      w.waiting.shift()?.resolve(JSON.parse(line) as SpeedAnswer);
    } catch (e) {
      w.waiting.shift()?.reject(new Error(`unreadable answer ${JSON.stringify(line.slice(0, 80))}: ${(e as Error).message}`));
    }
    if (w.waiting.length === 0) refs(w, false);
  });
  const gone = (why: string) => {
    w.exited = why;
    for (const x of w.waiting.splice(0)) x.reject(new Error(why));
  };
  child.on("error", (e) => gone(`the probe worker did not start: ${e.message}`));
  child.on("exit", (code, sig) => gone(`the probe worker exited (${sig ?? `status ${code}`})`));
  child.stdin!.on("error", () => {}); // a worker gone mid-write says so through "exit"
  refs(w, false);
  return w;
}

class SpeedWorkers {
  private readonly workers = new Map<number | null, Worker>();

  private workerFor(cpu: number | null): Worker {
    const w = this.workers.get(cpu);
    if (w && w.exited === null) return w;
    const fresh = startWorker(cpu);
    this.workers.set(cpu, fresh);
    return fresh;
  }

  /** Start the workers of these CPUs now (e.g. while a target starts), without waiting for them. */
  start(cpus: readonly (number | null)[]): void {
    for (const c of cpus) this.workerFor(c);
  }

  probe(cpu: number | null): Promise<SpeedAnswer> {
    const w = this.workerFor(cpu);
    return new Promise<SpeedAnswer>((resolve, reject) => {
      const timer = setTimeout(() => {
        w.child.kill("SIGKILL");
        reject(new Error(`the probe on CPU ${cpu ?? "any"} did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`));
      }, ANSWER_TIMEOUT_MS);
      const done = () => clearTimeout(timer);
      w.waiting.push({ resolve: (a) => (done(), resolve(a)), reject: (e) => (done(), reject(e)) });
      refs(w, true);
      w.child.stdin!.write("\n");
    });
  }

  /** The live worker's process id on this CPU (null: none), to see it reused and gone. */
  pidOf(cpu: number | null): number | null {
    const w = this.workers.get(cpu);
    return w && w.exited === null ? (w.child.pid ?? null) : null;
  }

  /** Close every worker's stdin (their exit); the next probe starts new ones. */
  close(): void {
    for (const w of this.workers.values()) w.child.stdin?.end();
    this.workers.clear();
  }
}

export const speedWorkers = new SpeedWorkers();

/** Start the workers for these CPUs (null or empty: one unpinned) ahead of the first edge. */
export function startSpeedWorkers(cpus: number[] | null): void {
  speedWorkers.start(cpus && cpus.length > 0 ? [...new Set(cpus)] : [null]);
}

export function closeSpeedWorkers(): void {
  speedWorkers.close();
}
