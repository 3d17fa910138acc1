// The kernel's view of one measurement window (issue 26), as the result file keeps it: either
// the probes' counts or why there are none. Latencies are in microseconds like every other
// latency in a result; the run-queue histogram is kept encoded (nanosecond values) so that runs
// can be merged later.
import { z } from "zod";

const count = z.number().int().nonnegative();
const us = z.number().nonnegative();

export const KernelLatency = z.object({ samples: count, p50Us: us, p99Us: us, maxUs: us });
export type KernelLatency = z.infer<typeof KernelLatency>;

export const KernelCounts = z.object({
  status: z.literal("measured"),
  /** Wake-up (or preemption) to running, of the target's threads (its process group at the
   *  window's start and their children). */
  runQueue: KernelLatency.extend({
    /** Switches out while still runnable (preempted) and by blocking (voluntary). */
    preempted: count,
    voluntary: count,
    /** hdr-histogram-js, compressed base64, values in nanoseconds. */
    hdr: z.string(),
  }),
  tcp: z.object({
    retransmits: count,
    synRetransmits: count,
    synackRetransmits: count,
    /** Tail-loss probes sent (null: this kernel cannot attach the kprobe). */
    lossProbes: count.nullable(),
    /** Connections that retransmitted, by their local and remote port. */
    perConnection: z.array(z.object({ localPort: count, remotePort: count, retransmits: count })),
  }),
  drops: z.object({
    total: count,
    /** SYNs (without ACK) the kernel dropped: connection attempts lost. */
    syn: count,
    /** Drops by the kernel's own reason name (enum skb_drop_reason without its prefix). */
    reasons: z.record(z.string(), count),
  }),
  connections: z.object({
    active: count,
    passive: count,
    failed: count,
    closed: count,
    connect: KernelLatency,
    lifetime: KernelLatency,
  }),
  /** Events the probes' maps had no room for (a large value means the counts are low). */
  untracked: count,
  /** The probes' own CPU time and program runs over the window, from the kernel's BPF statistics
   *  (zero unless the sysctl kernel.bpf_stats_enabled is 1). */
  cost: z.object({ runTimeNs: count, runs: count }).optional(),
});
export type KernelCounts = z.infer<typeof KernelCounts>;

export const KernelWindow = z.discriminatedUnion("status", [
  KernelCounts,
  z.object({ status: z.literal("unavailable"), reason: z.string() }),
]);
export type KernelWindow = z.infer<typeof KernelWindow>;
