// Opens the scenario's topology: local (this host over loopback), netns or ssh.
import type { TargetDef, TargetMode } from "../targets/registry.js";
import { verifyTarget, type VerifyRequest } from "../targets/verify.js";
import { openNetns } from "./netns.js";
import type { HostsSection, LinkSection } from "./scenario.js";
import { openSsh } from "./ssh.js";
import type { Topology } from "./types.js";
import { BadInputError } from "../errors.js";

export function localTopology(host = "127.0.0.1"): Topology {
  return {
    kind: "local",
    serverHost: host,
    serverPlace: null,
    clientPlace: null,
    verify: (def: TargetDef, port: number, mode: TargetMode, request: VerifyRequest) => verifyTarget(def, host, port, mode, request),
    snapshot: async () => null,
    network: () => null,
    close: async () => {},
  };
}

export async function openTopology(hosts: HostsSection, link: LinkSection | null, localHost = "127.0.0.1"): Promise<Topology> {
  if (link !== null && hosts.topology !== "netns") {
    throw new BadInputError(`a link (delay, loss, rate) needs the netns topology; the scenario's hosts.topology is ${hosts.topology} (use --topology netns)`);
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
