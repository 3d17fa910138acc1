// A link's loss by eBPF (`link.loss.by: "ebpf"`): the tc dropper on the ingress of both ends of
// the link, each dropping lossPct of the packets that arrive at its namespace, so that no
// user-space relay sits in the path for loss (the relay, where there is one, only delays).
import { startDropper, type Dropper, type DropperCounts } from "./dropper.js";

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

export function lossByEbpf(link: { loss?: { by: "link" | "ebpf" } | undefined } | null): boolean {
  return link?.loss?.by === "ebpf";
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
