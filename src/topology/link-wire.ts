// Joins the two namespaces: a veth pair when the link does nothing or the kernel has netem
// (then netem on both ends), otherwise the user-space relay over two TUN devices, with tbf for
// the rate. The server side is 10.203.0.1, the client side 10.203.0.2: the namespaces are the
// harness's own, so these addresses never meet any other network.
import { run, succeeds } from "./ip.js";
import type { NamespacePair } from "./namespaces.js";
import type { LinkSection } from "../model/index.js";
import { startRelay, type Relay } from "./link-relay.js";
import { applyKernelLoss, engineLink, type KernelLoss, type LinkEnds } from "./link-loss-ebpf.js";

export const SERVER_ADDRESS = "10.203.0.1";
export const CLIENT_ADDRESS = "10.203.0.2";
const VETH = { server: "evb-srv", client: "evb-cli" };
const TUN = { server: "evbt-srv", client: "evbt-cli" };

export interface Wired {
  engine: "relay" | "netem" | "none";
  relay: Relay | null;
  /** link.loss.by "ebpf": the kernel's droppers, the engine itself then dropping nothing. */
  kernelLoss?: KernelLoss | null;
}

/** The link's two devices (the veth for netem, the relay's TUN pair) where eBPF drops. */
function ends(p: NamespacePair, w: Wired): LinkEnds {
  const d = w.engine === "relay" ? TUN : VETH;
  return { serverNs: p.server, serverDev: d.server, clientNs: p.client, clientDev: d.client };
}

async function withKernelLoss(p: NamespacePair, w: Wired, link: LinkSection): Promise<Wired> {
  await applyKernelLoss(w, ends(p, w), w.engine === "netem", link).catch(async (e: unknown) => {
    await w.relay?.stop();
    throw e;
  });
  return w;
}

async function addVeth(p: NamespacePair): Promise<void> {
  await run("ip", ["link", "add", VETH.server, "netns", p.server, "type", "veth", "peer", "name", VETH.client, "netns", p.client]);
  await address(p.server, VETH.server, SERVER_ADDRESS, "/30");
  await address(p.client, VETH.client, CLIENT_ADDRESS, "/30");
}

async function address(ns: string, dev: string, addr: string, suffix: string): Promise<void> {
  await run("ip", ["-n", ns, "addr", "add", `${addr}${suffix}`, "dev", dev]);
  await run("ip", ["-n", ns, "link", "set", dev, "up"]);
}

function netemArgs(l: LinkSection): string[] {
  const a = ["delay", `${l.delayMs}ms`];
  if (l.jitterMs > 0) a.push(`${l.jitterMs}ms`);
  if (l.lossPct > 0) a.push("loss", `${l.lossPct}%`);
  if (l.rateMbit !== null) a.push("rate", `${l.rateMbit}mbit`);
  return a;
}

async function tbf(ns: string, dev: string, mbit: number): Promise<void> {
  // A burst of at least 10 ms at the rate (and 16 KiB): smaller bursts cap below the rate.
  const burst = Math.max(16 * 1024, Math.ceil((mbit * 1e6) / 8 / 100));
  await run("ip", [
    "netns",
    "exec",
    ns,
    "tc",
    "qdisc",
    "replace",
    "dev",
    dev,
    "root",
    "tbf",
    "rate",
    `${mbit}mbit`,
    "burst",
    String(burst),
    "latency",
    "100ms",
  ]);
}

export async function wire(p: NamespacePair, asked: LinkSection | null): Promise<Wired> {
  await addVeth(p);
  if (asked === null) return { engine: "none", relay: null };
  const link = engineLink(asked);
  const netem = ["tc", "qdisc", "add", "dev"];
  if (await succeeds("ip", ["netns", "exec", p.server, ...netem, VETH.server, "root", "netem", ...netemArgs(link)])) {
    await run("ip", ["netns", "exec", p.client, ...netem, VETH.client, "root", "netem", ...netemArgs(link)]);
    return withKernelLoss(p, { engine: "netem", relay: null }, asked);
  }
  // No netem here: replace the veth by the relay's TUN pair.
  await run("ip", ["-n", p.server, "link", "del", VETH.server]);
  const relay = await startRelay({ nsA: p.server, devA: TUN.server, nsB: p.client, devB: TUN.client }, link);
  try {
    await pointToPoint(p.server, TUN.server, SERVER_ADDRESS, CLIENT_ADDRESS);
    await pointToPoint(p.client, TUN.client, CLIENT_ADDRESS, SERVER_ADDRESS);
    if (link.rateMbit !== null) {
      await tbf(p.server, TUN.server, link.rateMbit);
      await tbf(p.client, TUN.client, link.rateMbit);
    }
  } catch (e) {
    await relay.stop();
    throw e;
  }
  return withKernelLoss(p, { engine: "relay", relay }, asked);
}

/** Changes the link between runs (a variant's own delay, loss or rate), without remaking it. */
export async function changeLink(p: NamespacePair, w: Wired, asked: LinkSection): Promise<void> {
  if (w.engine !== "none") await applyKernelLoss(w, ends(p, w), w.engine === "netem", asked);
  const link = engineLink(asked);
  if (w.engine === "netem") {
    await run("ip", ["netns", "exec", p.server, "tc", "qdisc", "change", "dev", VETH.server, "root", "netem", ...netemArgs(link)]);
    await run("ip", ["netns", "exec", p.client, "tc", "qdisc", "change", "dev", VETH.client, "root", "netem", ...netemArgs(link)]);
    return;
  }
  if (w.engine !== "relay" || !w.relay) throw new Error("this topology was made without a link; give the scenario a link section");
  await w.relay.set(link);
  for (const [ns, dev] of [
    [p.server, TUN.server],
    [p.client, TUN.client],
  ] as const) {
    if (link.rateMbit !== null) await tbf(ns, dev, link.rateMbit);
    else await run("ip", ["netns", "exec", ns, "tc", "qdisc", "del", "dev", dev, "root"]).catch(() => {}); // none set: nothing to delete
  }
}

async function pointToPoint(ns: string, dev: string, local: string, peer: string): Promise<void> {
  await run("ip", ["-n", ns, "addr", "add", local, "peer", peer, "dev", dev]);
  await run("ip", ["-n", ns, "link", "set", dev, "mtu", "1500", "up"]);
}
