// The scenario's `hosts` and `link` sections: where the target and the clients run, and what the
// link between them does to packets. Imported by src/scenario/schema.ts; everything about
// topologies lives in src/topology/ and src/link/.
import { z } from "zod";

const sshHost = z.string().regex(/^([A-Za-z0-9._-]+@)?[A-Za-z0-9._:-]+$/, "a host for ssh, as user@host or host");

export const HostsSection = z.strictObject({
  /** local: this host over loopback; netns: two network namespaces joined by a link; ssh: hosts the user names. */
  topology: z.enum(["local", "netns", "ssh"]).default("local"),
  /** sysctls set inside both namespaces (netns only), e.g. {"net.ipv4.tcp_fastopen": "3"}. */
  sysctls: z.record(z.string().regex(/^[a-z0-9_.]+$/, "a sysctl name such as net.ipv4.tcp_fastopen"), z.string()).default({}),
  /** ssh: the target's host (user@host). */
  serverHost: sshHost.optional(),
  /** ssh: the client hosts; the load is split evenly between them. */
  clientHosts: z.array(sshHost).min(1).optional(),
  /** ssh: the address the clients connect to (default: the server host's name). */
  serverAddress: z.string().optional(),
  /** ssh: where evbench is installed on the hosts (default: the same path as here). */
  remoteRoot: z.string().startsWith("/").optional(),
});
export type HostsSection = z.output<typeof HostsSection>;

export const LinkSection = z.strictObject({
  /** One-way delay added in each direction (the round trip grows by twice this). */
  delayMs: z.number().nonnegative().default(0),
  /** Uniform jitter around the delay, +- this, in each direction (packets are not reordered). */
  jitterMs: z.number().nonnegative().default(0),
  /** Probability that a packet is dropped, in percent, in each direction. */
  lossPct: z.number().min(0).max(100).default(0),
  /** Rate limit in each direction (tbf); null = none. */
  rateMbit: z.number().positive().nullable().default(null),
  /** Seed of the loss and jitter draws (the relay's), so a run can be repeated. */
  seed: z.number().int().nonnegative().default(1),
});
export type LinkSection = z.output<typeof LinkSection>;
