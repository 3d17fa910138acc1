// The netns topology: two network namespaces of the harness's own joined by a link (a veth, netem,
// or the user-space relay), the target in one (bound to its link address), the client in the
// other. Everything it makes is removed by close(), by the exit hook on an unexpected exit, or,
// after a kill, by removeStale() at the next start.
import { SERVER_ADDRESS, changeLink, wire, type Wired } from "./link-wire.js";
import type { RelayCounters } from "./link-relay.js";
import type { TargetDef, TargetMode } from "../targets/registry.js";
import type { VerifyRequest, Wire } from "../targets/verify.js";
import { requireRootAndIp } from "./ip.js";
import { createPair, readProcNet, removePair, removeStale, type NamespacePair } from "./namespaces.js";
import { linkRecord } from "./link-record.js";
import type { LinkRecord, NetworkRecord } from "../model/index.js";
import { withKernelLossRecord } from "./link-loss-record.js";
import { verifyFrom, verifyTimeoutMs } from "./remote-verify.js";
import type { HostsSection, LinkSection } from "../model/index.js";
import { counterDelta, parseProcNet, pickTcpCounters } from "./tcp-counters.js";
import type { NetworkSnapshot, Topology } from "./types.js";

export async function openNetns(hosts: HostsSection, link: LinkSection | null): Promise<Topology> {
  requireRootAndIp("the netns topology");
  await removeStale();
  const pair = await createPair(hosts.sysctls);
  let wired: Wired;
  try {
    wired = await wire(pair, link);
  } catch (e) {
    await removePair(pair);
    throw e;
  }
  return netnsTopology(pair, wired, link);
}

/** The run's link record, with the eBPF droppers' counts only where they were asked to drop
 *  (link.loss.by "ebpf"): on a row whose loss the relay draws they stay attached at 0 %, and
 *  their 0 % said nothing about the loss asked (every such row of T10 was judged loss-mismatch). */
function linkOf(engine: Wired["engine"], link: LinkSection, a: NetworkSnapshot, b: NetworkSnapshot): LinkRecord {
  const r = linkRecord(engine, link, a.link as unknown as RelayCounters | null, b.link as unknown as RelayCounters | null);
  return link.loss?.by === "ebpf" ? withKernelLossRecord(r, a.kernelLoss, b.kernelLoss) : r;
}

function netnsTopology(pair: NamespacePair, wired: Wired, link: LinkSection | null): Topology {
  const exec = (ns: string) => ({ prefix: ["ip", "netns", "exec", ns], shell: false });
  let closed = false;
  let current = link;
  return {
    kind: "netns",
    serverHost: SERVER_ADDRESS,
    serverPlace: exec(pair.server),
    clientPlace: exec(pair.client),
    verify: (def: TargetDef, port: number, mode: TargetMode, request: VerifyRequest, wire?: Wire) =>
      verifyFrom(exec(pair.client), def, SERVER_ADDRESS, port, mode, request, verifyTimeoutMs(current), wire),
    setLink: async (next: LinkSection | null) => {
      if (JSON.stringify(next) === JSON.stringify(current)) return;
      if (next === null)
        throw new Error(
          "a variant without a link in a scenario whose other rows have one: give every variant its link (lossPct 0 for none)",
        );
      await changeLink(pair, wired, next);
      current = next;
    },
    snapshot: async (): Promise<NetworkSnapshot> => {
      const [s, c, l, k] = await Promise.all([
        readProcNet(pair.server),
        readProcNet(pair.client),
        wired.relay?.stats() ?? null,
        wired.kernelLoss?.counts() ?? null,
      ]);
      return {
        link: l as unknown as Record<string, number> | null,
        ...(k ? { kernelLoss: k } : {}),
        tcp: { server: pickTcpCounters(parseProcNet(s)), client: pickTcpCounters(parseProcNet(c)) },
      };
    },
    network: (a, b): NetworkRecord | null => {
      if (!a || !b) return null;
      return {
        topology: "netns",
        serverAddress: SERVER_ADDRESS,
        link: current === null ? null : linkOf(wired.engine, current, a, b),
        tcp: { server: counterDelta(a.tcp.server, b.tcp.server), client: counterDelta(a.tcp.client, b.tcp.client) },
      };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await wired.kernelLoss?.stop();
      await wired.relay?.stop();
      await removePair(pair);
    },
  };
}
