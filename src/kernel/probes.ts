// The kernel probes of one measurement window: `evb-kernel probes` loads the programs before the
// window (loading takes a moment), attaches them when it opens and detaches them when it closes,
// then prints its counts, turned here into a KernelWindow. Never fails a run: whatever goes wrong
// is the window's `unavailable` reason.
import { histogramOf, latencyOf, encode, type Buckets } from "./histogram.js";
import { kernelProbesAvailability } from "./availability.js";
import { openLoader } from "./channel.js";
import type { KernelCounts, KernelWindow } from "../model/index.js";

export interface KernelProbeSettings {
  /** Processes (thread group ids) whose run-queue latency is measured; their children too. */
  pids?: readonly number[];
  /** TCP ports whose connections are counted (either end); none: every connection. */
  ports?: readonly number[];
}

export interface KernelProbes {
  /** Detaches the probes and returns what they counted (or why nothing). */
  stop(): Promise<KernelWindow>;
}

export interface PreparedKernelProbes extends KernelProbes {
  /** Attaches the probes, adding these processes to the ones given at preparation. */
  open(morePids?: readonly number[]): Promise<void>;
}

const LOAD_TIMEOUT_MS = 10_000;
const ANSWER_TIMEOUT_MS = 5_000;

function unavailable(reason: string): PreparedKernelProbes {
  return { open: async () => {}, stop: async () => ({ status: "unavailable", reason }) };
}

function listArg(flag: string, values: readonly number[] | undefined): string[] {
  return values && values.length > 0 ? [flag, values.join(",")] : [];
}

/** Loads the probes (not yet attached); `open()` attaches them, `stop()` detaches and reads them. */
export async function prepareKernelProbes(s: KernelProbeSettings): Promise<PreparedKernelProbes> {
  const a = kernelProbesAvailability();
  if (!a.ok) return unavailable(a.reason);
  const ch = openLoader(a.loader, ["probes", "--wait", ...listArg("--pids", s.pids), ...listArg("--ports", s.ports)]);
  let failed: string | null = null;
  try {
    await ch.next(LOAD_TIMEOUT_MS);
  } catch (e) {
    await ch.close(500);
    return unavailable((e as Error).message);
  }
  let attached = false;
  return {
    open: async (morePids) => {
      ch.send(morePids && morePids.length > 0 ? `start ${morePids.join(",")}` : "start");
      try {
        await ch.next(ANSWER_TIMEOUT_MS);
        attached = true;
      } catch (e) {
        failed = (e as Error).message;
      }
    },
    stop: async () => {
      if (!attached) {
        await ch.close(500);
        return { status: "unavailable", reason: failed ?? "the probes were never attached (the window did not open)" };
      }
      ch.send("stop");
      try {
        return countsOf(await ch.next(ANSWER_TIMEOUT_MS));
      } catch (e) {
        return { status: "unavailable", reason: (e as Error).message };
      } finally {
        await ch.close(1000);
      }
    },
  };
}

/** Loads and attaches at once: the probes count from now until `stop()`. */
export async function startKernelProbes(s: KernelProbeSettings): Promise<KernelProbes> {
  const p = await prepareKernelProbes(s);
  await p.open();
  return p;
}

interface LoaderCounts {
  runqueue: { samples: number; preempted: number; voluntary: number; buckets: Buckets };
  tcp: KernelCounts["tcp"];
  drops: KernelCounts["drops"];
  connections: { active: number; passive: number; failed: number; closed: number; connectNs: Buckets; lifetimeNs: Buckets };
  untracked: number;
  cost: { runTimeNs: number; runs: number };
}

export function countsOf(raw: Record<string, unknown>): KernelCounts {
  const r = raw as unknown as LoaderCounts;
  const runq = histogramOf(r.runqueue.buckets);
  const c = r.connections;
  return {
    status: "measured",
    runQueue: { ...latencyOf(runq), preempted: r.runqueue.preempted, voluntary: r.runqueue.voluntary, hdr: encode(runq) },
    tcp: r.tcp,
    drops: r.drops,
    connections: {
      active: c.active,
      passive: c.passive,
      failed: c.failed,
      closed: c.closed,
      connect: latencyOf(histogramOf(c.connectNs)),
      lifetime: latencyOf(histogramOf(c.lifetimeNs)),
    },
    untracked: r.untracked,
    cost: r.cost,
  };
}
