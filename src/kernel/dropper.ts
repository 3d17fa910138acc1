// Loss in the kernel: `evb-kernel drop` attaches the tc dropper to a device's ingress inside a
// network namespace and drops the given share of the packets arriving there, counting them (on
// ingress, so that the sender's TCP cannot tell a drop from a loss on the wire).
import { kernelProbesAvailability } from "./availability.js";
import { openLoader } from "./channel.js";

export interface DropperPlace {
  netns: string;
  dev: string;
}

export interface DropperCounts {
  seen: number;
  dropped: number;
}

export interface Dropper {
  /** Changes the share (0..1) for the packets that arrive next. */
  set(share: number): Promise<void>;
  counts(): Promise<DropperCounts>;
  /** Detaches the program and returns its final counts. */
  stop(): Promise<DropperCounts>;
}

const TIMEOUT_MS = 5_000;

/** Attaches the dropper; throws with the reason when eBPF cannot run here or the device is not there. */
export async function startDropper(place: DropperPlace, share: number, seed: number | null): Promise<Dropper> {
  const a = kernelProbesAvailability();
  if (!a.ok) throw new Error(`eBPF loss is unavailable: ${a.reason}`);
  const seedArgs = seed === null ? [] : ["--seed", String(seed)];
  const ch = openLoader(a.loader, ["drop", "--netns", place.netns, "--dev", place.dev, "--share", String(share), ...seedArgs]);
  try {
    await ch.next(TIMEOUT_MS);
  } catch (e) {
    await ch.close(500);
    throw new Error(`eBPF loss on ${place.dev}: ${(e as Error).message}`);
  }
  const counts = async () => {
    ch.send("stats");
    return (await ch.next(TIMEOUT_MS)) as unknown as DropperCounts;
  };
  return {
    set: async (s) => {
      ch.send(`set ${s}`);
      const answer = await ch.next(TIMEOUT_MS);
      if (answer["ok"] !== true) throw new Error(`eBPF loss: ${String(answer["error"])}`);
    },
    counts,
    stop: async () => {
      ch.send("stop");
      try {
        return (await ch.next(TIMEOUT_MS)) as unknown as DropperCounts;
      } finally {
        await ch.close(1000);
      }
    },
  };
}
