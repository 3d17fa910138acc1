// Opens the scenario's topology: local (this host over loopback), netns or ssh.
import type { TargetDef, TargetMode } from "../targets/registry.js";
import { verifyTarget, type VerifyRequest, type Wire } from "../targets/verify.js";
import { openNetns } from "./netns.js";
import type { HostsSection, LinkSection } from "../model/index.js";
import { openSsh } from "./ssh.js";
import type { Topology } from "./types.js";

export interface ScenarioPlaces {
  hosts: HostsSection;
  link: LinkSection | null;
  targets: { variants: { link: LinkSection | null }[] }[];
}
import { BadInputError } from "../errors.js";

export function localTopology(host = "127.0.0.1"): Topology {
  return {
    kind: "local",
    serverHost: host,
    serverPlace: null,
    clientPlace: null,
    verify: (def: TargetDef, port: number, mode: TargetMode, request: VerifyRequest, wire?: Wire) =>
      verifyTarget(def, host, port, mode, request, undefined, wire),
    setLink: async (link) => {
      if (link !== null) throw new Error("a link needs the netns topology");
    },
    snapshot: async () => null,
    network: () => null,
    close: async () => {},
  };
}

/** The scenario's topology; its link is made from the scenario's link, or the first variant's
 * when only variants have one (each run then sets its own with setLink). */
export async function openTopology(s: ScenarioPlaces, localHost = "127.0.0.1"): Promise<Topology> {
  const hosts = s.hosts;
  const link = s.link ?? s.targets.flatMap((t) => t.variants.map((v) => v.link)).find((l) => l !== null) ?? null;
  if (link !== null && hosts.topology !== "netns") {
    throw new BadInputError(
      `a link (delay, loss, rate) needs the netns topology; the scenario's hosts.topology is ${hosts.topology} (use --topology netns)`,
    );
  }
  switch (hosts.topology) {
    case "local":
      return localTopology(localHost);
    case "netns":
      return openNetns(hosts, link);
    case "ssh":
      return openSsh(hosts);
  }
}
