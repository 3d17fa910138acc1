// A link's loss by eBPF (`link.loss.by: "ebpf"`): the tc dropper on the ingress of both ends of
// the link, each dropping lossPct of the packets that arrive at its namespace, so that no
// user-space relay sits in the path for loss (the relay, where there is one, only delays).
import { run } from "./ip.js";
import type { LinkSection } from "../model/index.js";
import { startDropper, type Dropper, type DropperCounts } from "../kernel/dropper.js";

export interface LinkEnds {
  serverNs: string;
  serverDev: string;
  clientNs: string;
  clientDev: string;
}

export interface KernelLossCounts {
  toServer: DropperCounts;
  toClient: DropperCounts;
}

export interface KernelLoss {
  set(lossPct: number): Promise<void>;
  counts(): Promise<KernelLossCounts>;
  stop(): Promise<void>;
}

export function lossByEbpf(link: LinkSection | null): boolean {
  return link?.loss?.by === "ebpf";
}

/** What the link's engine (netem, the relay) is asked to do: no loss when eBPF drops instead. */
export function engineLink(l: LinkSection): LinkSection {
  return lossByEbpf(l) ? { ...l, lossPct: 0 } : l;
}

export interface KernelLossHolder {
  kernelLoss?: KernelLoss | null;
}

/** Attaches the droppers when the link asks for them and they are not there yet (a later
 *  variant with loss by the link sets their share to 0), then sets their share. On a veth, one
 *  segment per packet, so that a share of the packets is a share of TCP segments. */
export async function applyKernelLoss(holder: KernelLossHolder, ends: LinkEnds, veth: boolean, link: LinkSection): Promise<void> {
  if (lossByEbpf(link) && !holder.kernelLoss) {
    if (veth)
      for (const [ns, dev] of [
        [ends.serverNs, ends.serverDev],
        [ends.clientNs, ends.clientDev],
      ] as const)
        await run("ip", ["-n", ns, "link", "set", dev, "gso_max_segs", "1"]);
    holder.kernelLoss = await startKernelLoss(ends, link.lossPct, link.seed);
    return;
  }
  await holder.kernelLoss?.set(lossByEbpf(link) ? link.lossPct : 0);
}

/** Throws with the reason when eBPF cannot run here: a scenario that asks for it gets it or nothing. */
export async function startKernelLoss(ends: LinkEnds, lossPct: number, seed: number): Promise<KernelLoss> {
  const share = lossPct / 100;
  const toServer = await startDropper({ netns: ends.serverNs, dev: ends.serverDev }, share, seed);
  let toClient: Dropper;
  try {
    toClient = await startDropper({ netns: ends.clientNs, dev: ends.clientDev }, share, seed + 1);
  } catch (e) {
    await toServer.stop();
    throw e;
  }
  return {
    set: async (pct) => {
      await Promise.all([toServer.set(pct / 100), toClient.set(pct / 100)]);
    },
    counts: async () => {
      const [s, c] = await Promise.all([toServer.counts(), toClient.counts()]);
      return { toServer: s, toClient: c };
    },
    stop: async () => {
      await Promise.all([toServer.stop(), toClient.stop()]);
    },
  };
}
