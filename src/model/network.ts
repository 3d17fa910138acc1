// The run's `network` block (netns and ssh topologies): what the link did to packets and what
// the kernel's TCP did in each namespace, as deltas over the measurement window.
import { z } from "zod";

const count = z.number().int();

/** One direction of the link, counted by the relay (netem keeps no per-packet counters we read). */
export const LinkDirection = z.object({
  received: count,
  forwarded: count,
  /** Dropped by the loss draw. */
  dropped: count,
  /** Dropped because the relay's queue was full (not asked for: a limit of the relay). */
  overflow: count,
  /** Packets the relay could not write into the other namespace. */
  writeErrors: count,
  bytes: count,
  /** How late packets left the relay after their due time, mean over the window and max since the link started. */
  lateMeanUs: z.number().nullable(),
  lateMaxUs: z.number().nullable(),
});
export type LinkDirection = z.infer<typeof LinkDirection>;

export const LinkRecord = z.object({
  /** relay: the user-space relay over TUN devices (tools/link-relay); netem: the kernel's sch_netem; none: a plain veth. */
  engine: z.enum(["relay", "netem", "none"]),
  delayMs: z.number(),
  jitterMs: z.number(),
  lossPct: z.number(),
  rateMbit: z.number().nullable(),
  seed: z.number().int(),
  /** Per direction, over the window; null where the engine keeps no counters (netem, none). */
  toServer: LinkDirection.nullable(),
  toClient: LinkDirection.nullable(),
  /** link.loss.by "ebpf": the eBPF dropper's packets seen and dropped per direction over the window. */
  ebpf: z.object({ toServer: z.object({ seen: count, dropped: count }), toClient: z.object({ seen: count, dropped: count }) }).optional(),
});
export type LinkRecord = z.infer<typeof LinkRecord>;

/** ssh: each host's identity and its process's CPU and memory over the window. */
export const HostRecord = z.object({
  role: z.enum(["server", "client"]),
  host: z.string(),
  hardwareId: z.string(),
  cpuModel: z.string(),
  cores: z.number().int().nonnegative(),
  kernel: z.string(),
  cpuPct: z.number().nullable(),
  rssPeakBytes: z.number().nullable(),
  /** Client hosts of a load spread over several: this host's requests, their share of all, its rate and p99. */
  requests: z.number().int().nonnegative().optional(),
  share: z.number().min(0).max(1).optional(),
  rps: z.number().nonnegative().optional(),
  p99Us: z.number().nonnegative().optional(),
});
export type HostRecord = z.infer<typeof HostRecord>;

export const NetworkRecord = z.object({
  topology: z.enum(["netns", "ssh"]),
  serverAddress: z.string(),
  link: LinkRecord.nullable(),
  /** Kernel TCP counters (names as in /proc/net/snmp and netstat), deltas over the window, per side. */
  tcp: z.object({ server: z.record(z.string(), z.number()), client: z.record(z.string(), z.number()) }),
  hosts: z.array(HostRecord).optional(),
});
export type NetworkRecord = z.infer<typeof NetworkRecord>;
