// A topology places the target and the client: which address the target binds, which command
// placement starts a process on each side, how the target's answers are verified from the client's
// side, and what the network did during a measurement window.
import type { TargetDef, TargetMode } from "../targets/registry.js";
import type { VerifyRequest, Wire } from "../targets/verify.js";
import type { LoadGenerator } from "../load/types.js";
import type { Placement } from "../proc/placement.js";
import type { LinkSection, TopologyKind } from "../model/index.js";
import type { SamplerLike } from "../probe/sampler.js";
import type { NetworkRecord } from "../model/index.js";
import type { KernelLossCounts } from "./link-loss-ebpf.js";

/** Counters read at one instant; `network()` turns two of them into the run's record. */
export interface NetworkSnapshot {
  link: Record<string, number> | null;
  /** link.loss.by "ebpf": the droppers' counts (src/topology/link-loss-ebpf.ts). */
  kernelLoss?: KernelLossCounts;
  tcp: { server: Record<string, number>; client: Record<string, number> };
}

export interface Topology {
  kind: TopologyKind;
  /** The address the target binds (its --host) and the client connects to. */
  serverHost: string;
  /** Where the target's process runs, and the client's (null: here). */
  serverPlace: Placement | null;
  clientPlace: Placement | null;
  /** The target's answers checked from the client's side of the link. */
  /** `wire`: the protocol to verify over (local and netns; TLS and h2 runs are refused over ssh). */
  verify(def: TargetDef, port: number, mode: TargetMode, request: VerifyRequest, wire?: Wire): Promise<string[]>;
  /** The link for the next run (a variant may change the scenario's); local: only null. */
  setLink(link: LinkSection | null): Promise<void>;
  /** A sampler of the side's process where it runs on another host (null: sample it here). */
  sampler?(side: "server" | "client", localPid: number): SamplerLike | null;
  /** The generator the runs use (several client hosts: one spread over them); absent: the same. */
  generatorFor?(base: LoadGenerator): LoadGenerator;
  /** Counters now (null where the topology has none: local). */
  snapshot(): Promise<NetworkSnapshot | null>;
  /** The run's network block from the window's two snapshots. */
  network(start: NetworkSnapshot | null, end: NetworkSnapshot | null): NetworkRecord | null;
  /** Removes everything the topology created; safe to call twice. */
  close(): Promise<void>;
}
