// The run's link record with the eBPF droppers' counts over the window (link.loss.by "ebpf").
import type { LinkRecord } from "../model/index.js";
import type { KernelLossCounts } from "./link-loss-ebpf.js";
import type { DropperCounts } from "../kernel/dropper.js";

function delta(a: DropperCounts, b: DropperCounts): DropperCounts {
  return { seen: b.seen - a.seen, dropped: b.dropped - a.dropped };
}

export function withKernelLossRecord(r: LinkRecord, a: KernelLossCounts | undefined, b: KernelLossCounts | undefined): LinkRecord {
  if (!a || !b) return r;
  return { ...r, ebpf: { toServer: delta(a.toServer, b.toServer), toClient: delta(a.toClient, b.toClient) } };
}
