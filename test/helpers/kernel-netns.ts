// Two network namespaces joined by one veth pair, named after this branch and the test's pid so
// that nothing collides with another run; TSO/GSO capped at one segment per packet so that "a
// share of the packets" on the wire is a share of TCP segments.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const exec = promisify(execFile);

export interface NetnsPair {
  server: string;
  client: string;
  serverDev: string;
  clientDev: string;
  serverAddress: string;
  clientAddress: string;
  remove(): Promise<void>;
}

export async function ip(args: string[]): Promise<string> {
  return (await exec("ip", args)).stdout;
}

export async function makePair(tag: string): Promise<NetnsPair> {
  const id = `${process.pid % 100000}${tag}`;
  const p = {
    server: `ebpf-${id}-srv`,
    client: `ebpf-${id}-cli`,
    serverDev: `ebs${id}`.slice(0, 15),
    clientDev: `ebc${id}`.slice(0, 15),
    serverAddress: "10.213.0.1",
    clientAddress: "10.213.0.2",
  };
  const remove = async () => {
    for (const ns of [p.server, p.client]) await ip(["netns", "del", ns]).catch(() => {});
  };
  try {
    await ip(["netns", "add", p.server]);
    await ip(["netns", "add", p.client]);
    // No IPv6: its neighbour discovery would be packets beside the test's own.
    for (const ns of [p.server, p.client])
      await exec("ip", [
        "netns",
        "exec",
        ns,
        "sysctl",
        "-q",
        "-w",
        "net.ipv6.conf.all.disable_ipv6=1",
        "net.ipv6.conf.default.disable_ipv6=1",
      ]);
    await ip(["link", "add", p.serverDev, "netns", p.server, "type", "veth", "peer", "name", p.clientDev, "netns", p.client]);
    for (const [ns, dev, addr] of [
      [p.server, p.serverDev, p.serverAddress],
      [p.client, p.clientDev, p.clientAddress],
    ] as const) {
      await ip(["-n", ns, "addr", "add", `${addr}/30`, "dev", dev]);
      await ip(["-n", ns, "link", "set", dev, "gso_max_segs", "1", "up"]);
      await ip(["-n", ns, "link", "set", "lo", "up"]);
    }
  } catch (e) {
    await remove();
    throw e;
  }
  return { ...p, remove };
}

/** The namespace's Tcp (snmp) and TcpExt (netstat) counters, by name. */
export async function tcpCounters(ns: string): Promise<Record<string, number>> {
  const { stdout } = await exec("ip", ["netns", "exec", ns, "cat", "/proc/net/snmp", "/proc/net/netstat"]);
  const out: Record<string, number> = {};
  const lines = stdout.split("\n");
  for (let i = 0; i + 1 < lines.length; i += 1) {
    const [head, values] = [lines[i]!.split(/\s+/), lines[i + 1]!.split(/\s+/)];
    if (head[0] !== values[0] || !/^(Tcp|TcpExt):$/.test(head[0] ?? "") || head[1] === values[1]) continue;
    head.forEach((k, j) => {
      if (j > 0 && values[j] !== undefined) out[k] = Number(values[j]);
    });
  }
  return out;
}
