// The scenario's `hosts` and `link` sections: where the target and the clients run, and what the
// link between them does to packets. Part of the scenario (src/model/scenario.ts); what
// runs them lives in src/topology/.
import { z } from "zod";

import { TOPOLOGIES } from "./enums.js";

const sshHost = z.string().regex(/^([A-Za-z0-9._-]+@)?[A-Za-z0-9._:-]+$/, "a host for ssh, as user@host or host");

export const HostsSection = z.strictObject({
  /** local: this host over loopback; netns: two network namespaces joined by a link; ssh: hosts the user names. */
  topology: z.enum(TOPOLOGIES).default("local"),
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

const linkFields = {
  /** One-way delay added in each direction (the round trip grows by twice this). */
  delayMs: z.number().nonnegative(),
  /** Uniform jitter around the delay, +- this, in each direction (the relay does not reorder packets). */
  jitterMs: z.number().nonnegative(),
  /** Probability that a packet is dropped, in percent, in each direction. */
  lossPct: z.number().min(0).max(100),
  /** Rate limit in each direction (tbf); null = none. Fixed when the link is made: a variant cannot change it. */
  rateMbit: z.number().positive().nullable(),
  /** Seed of the loss and jitter draws (the relay's), so a run can be repeated. */
  seed: z.number().int().nonnegative(),
  /** Who drops lossPct: the link (netem or the relay; absent: this) or the kernel's eBPF dropper
   *  on both ends (src/topology/link-loss-ebpf.ts), the relay then only delaying. */
  loss: z.strictObject({ by: z.enum(["link", "ebpf"]) }).optional(),
};
export const LINK_DEFAULTS = { delayMs: 0, jitterMs: 0, lossPct: 0, rateMbit: null, seed: 1 } as const;

/** A variant's changes to the scenario's link (e.g. its loss). */
export const LinkOverride = z.strictObject(linkFields).partial();
export type LinkOverride = z.infer<typeof LinkOverride>;
export const LinkSection = LinkOverride.transform((o) => ({ ...LINK_DEFAULTS, ...o }) as z.infer<z.ZodObject<typeof linkFields>>);
export type LinkSection = z.output<typeof LinkSection>;

/** The link of one variant's runs: the scenario's with the variant's changes on top. */
export function resolveLink(scenario: LinkSection | null, variant: LinkOverride | undefined): LinkSection | null {
  if (!variant) return scenario;
  return { ...(scenario ?? LINK_DEFAULTS), ...variant };
}
