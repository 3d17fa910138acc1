// The one measurement window, for `bench` runs, `load` and sweep steps: the generator's phase
// messages open and close it; over it the server's and the client's CPU are sampled, the CPUs'
// noise is judged (the run's own CPU time subtracted), CPU pressure is read, and a target the
// harness started gives its counters at both edges. The server is one of three kinds:
// - started: the harness started it (its process group sampled, its control channel read);
// - listening: a server at a URL; on this machine it is found by its listening socket and its
//   CPU sampled by thread (src/probe/thread-window.ts), elsewhere it is not sampled at all;
// - none.
import os from "node:os";

import type { CpuNoise, NetworkRecord } from "../model/index.js";
import { CpuNoiseWindow } from "../probe/cpu-noise.js";
import { allowedCpuList, listenerPid, processGroup } from "../probe/listener.js";
import { cpuPressureUs, pressurePct } from "../probe/pressure.js";
import { GroupSampler, type SamplerLike, type WindowStats } from "../probe/sampler.js";
import { ThreadWindow, type ServerCpu } from "../probe/thread-window.js";
import type { RunningTarget } from "../targets/process.js";
import type { TargetStats } from "../targets/stats.js";
import type { NetworkSnapshot, Topology } from "../topology/types.js";
import { allotmentPct } from "../verdict/index.js";
import { timeAnswer } from "./edge-timing.js";

export type ServerSide =
  | { kind: "started"; target: RunningTarget; threads: number; cpus: number[] | null }
  | { kind: "listening"; host: string; port: number }
  | { kind: "none" };

export interface WindowSetup {
  server: ServerSide;
  /** The client's pinned CPUs (null: not pinned: every CPU is judged). */
  clientCpus: number[] | null;
  /** Where the sides run (netns, ssh); absent: here. */
  topology?: Topology;
}

/** The server's CPU over the window and what it may use, in % of one CPU. */
export type { ServerCpu };

export interface WindowFacts {
  /** The started target's process group over the window (RSS and CPU); null otherwise. */
  server: WindowStats | null;
  /** The server's CPU wherever it could be sampled (started, or listening here); null: unknown. */
  serverCpu: ServerCpu | null;
  client: WindowStats | null;
  cpuNoise: CpuNoise | null;
  /** Share of the window some task waited for a CPU (Linux PSI); null where unknown. */
  cpuPressurePct: number | null;
  /** The started target's counters at the window's edges. */
  stats: { start: TargetStats; end: TargetStats } | null;
  /** How long the target took to answer its counters at the two edges, summed (ms): its own
   *  window edges lie that far from the client's (the count cross-check allows for it). */
  statsEdgeMs: number;
  network: NetworkRecord | null;
}

const LOCAL_HOST = /^(127\.\d+\.\d+\.\d+|localhost|::1|0\.0\.0\.0)$/;

/** A server we did not start, on this machine: the process that owns the listening socket. */
function listeningHere(host: string, port: number): ThreadWindow | null {
  if (!LOCAL_HOST.test(host)) return null;
  const pid = listenerPid(port);
  const pgid = pid === null ? null : processGroup(pid);
  return pid === null || pgid === null ? null : new ThreadWindow(pid, pgid);
}

/** The CPUs whose noise is judged: the client's pinned CPUs and every CPU the server may run on
 *  (its CPU time is the run's own); every CPU (null) when the client is not pinned or the
 *  server's CPUs are unknown. A server not on this machine adds none. */
export function judgedCpus(clientCpus: number[] | null, serverCpus: number[] | null | "elsewhere"): number[] | null {
  if (!clientCpus) return null;
  if (serverCpus === "elsewhere") return clientCpus;
  return serverCpus === null ? null : [...new Set([...clientCpus, ...serverCpus])];
}

export class MeasurementWindow {
  private readonly server: SamplerLike | null;
  private readonly threads: ThreadWindow | null;
  private readonly noise: CpuNoiseWindow;
  private client: SamplerLike | null = null;
  private facts: Omit<WindowFacts, "stats" | "network" | "statsEdgeMs"> | null = null;
  private statsStart: Promise<TargetStats> | null = null;
  private statsEnd: Promise<TargetStats> | null = null;
  private netStart: Promise<NetworkSnapshot | null> | null = null;
  private netEnd: Promise<NetworkSnapshot | null> | null = null;
  private pressureStart: number | null = null;
  private statsEdgeMs = 0;
  private openedAt = 0;

  constructor(private readonly setup: WindowSetup) {
    const s = setup.server;
    const started = s.kind === "started" ? s.target : null;
    // Over ssh a side is sampled on its own host; here otherwise.
    this.server = started ? (setup.topology?.sampler?.("server", started.pid) ?? new GroupSampler(started.pid)) : null;
    this.threads = s.kind === "listening" ? listeningHere(s.host, s.port) : null;
    const serverCpus = started
      ? s.kind === "started" && s.cpus
        ? s.cpus
        : allowedCpuList(started.pid)
      : this.threads
        ? allowedCpuList(this.threads.pid)
        : "elsewhere";
    this.noise = new CpuNoiseWindow(judgedCpus(setup.clientCpus, serverCpus));
    this.server?.start();
  }

  /** The generator's hooks that drive this window. */
  hooks(): { onClientPid: (pid: number) => void; onMeasureStart: () => void; onMeasureEnd: () => void } {
    return { onClientPid: (pid) => this.clientStarted(pid), onMeasureStart: () => this.open(), onMeasureEnd: () => this.close() };
  }

  clientStarted(pid: number): void {
    this.client = this.setup.topology?.sampler?.("client", pid) ?? new GroupSampler(pid);
    this.client.start();
  }

  open(): void {
    this.pressureStart = cpuPressureUs();
    this.openedAt = performance.now();
    this.server?.windowStart();
    this.client?.windowStart();
    this.threads?.open();
    this.noise.open();
    this.netStart = this.snapshot();
    this.statsStart = this.targetStats();
  }

  close(): void {
    const wallS = (performance.now() - this.openedAt) / 1000;
    const server = this.server?.windowEnd() ?? null;
    const client = this.client?.windowEnd() ?? null;
    const found = this.threads?.close() ?? null;
    const serverCpu = server ? { cpuPct: server.cpuPct, allotmentPct: this.startedAllotment() } : found;
    const serverSeconds = server ? server.cpuSeconds : found ? (found.cpuPct / 100) * wallS : 0;
    const cpuNoise = this.noise.close(serverSeconds + (client?.cpuSeconds ?? 0));
    this.facts = { server, serverCpu, client, cpuNoise, cpuPressurePct: pressurePct(this.pressureStart, cpuPressureUs(), wallS) };
    this.netEnd = this.snapshot();
    this.statsEnd = this.targetStats();
  }

  get opened(): boolean {
    return this.facts !== null;
  }

  lastRss(): number | null {
    return this.server?.lastRss() ?? null;
  }

  /** What the window measured; null when the generator never opened and closed it. */
  async result(): Promise<WindowFacts | null> {
    if (!this.facts) return null;
    const [start, end, netStart, netEnd] = await Promise.all([this.statsStart, this.statsEnd, this.netStart, this.netEnd]);
    const stats = start && end ? { start, end } : null;
    const network = this.setup.topology?.network(netStart, netEnd) ?? null;
    return { ...this.facts, stats, network, statsEdgeMs: this.statsEdgeMs };
  }

  stop(): void {
    this.server?.stop();
    this.client?.stop();
  }

  /** The started target's counters now (null: the harness did not start the server). */
  private targetStats(): Promise<TargetStats> | null {
    const s = this.setup.server;
    return s.kind === "started" ? quiet(timeAnswer(s.target.stats(), (ms) => (this.statsEdgeMs += ms))) : null;
  }

  private snapshot(): Promise<NetworkSnapshot | null> | null {
    const t = this.setup.topology;
    return t ? quiet(t.snapshot()) : null;
  }

  private startedAllotment(): number {
    const s = this.setup.server;
    return s.kind === "started" ? allotmentPct(s.threads, s.cpus?.length ?? os.cpus().length) : 0;
  }
}

/** A promise whose rejection is handled where it is awaited, never reported as unhandled. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}
