// `bench` flags that choose the topology: --topology local|netns|ssh, --server-host, --client-hosts.
import { BadInputError } from "../errors.js";
import type { HostsSection } from "../model/index.js";

const HOST = /^([A-Za-z0-9._-]+@)?[A-Za-z0-9._:-]+$/;

export function hostsOverride(topology?: string, serverHost?: string, clientHosts?: string): Partial<HostsSection> | undefined {
  const o: Partial<HostsSection> = {};
  if (topology !== undefined) {
    if (topology !== "local" && topology !== "netns" && topology !== "ssh") {
      throw new BadInputError(`--topology: "${topology}" is not one of local, netns, ssh`);
    }
    o.topology = topology;
  }
  if (serverHost !== undefined) {
    if (!HOST.test(serverHost)) throw new BadInputError(`--server-host: "${serverHost}" is not a host for ssh (user@host or host)`);
    o.serverHost = serverHost;
    o.topology ??= "ssh";
  }
  if (clientHosts !== undefined) {
    const list = clientHosts.split(",").filter(Boolean);
    const bad = list.find((h) => !HOST.test(h));
    if (list.length === 0 || bad !== undefined)
      throw new BadInputError(`--client-hosts: "${bad ?? clientHosts}" is not a comma-separated list of hosts for ssh`);
    o.clientHosts = list;
    o.topology ??= "ssh";
  }
  return Object.keys(o).length > 0 ? o : undefined;
}
