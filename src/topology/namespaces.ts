// Network namespaces of the harness's own: named evb-<runner pid>-<n>-<srv|cli>, so that the ones
// a crashed runner left behind are recognised (their pid is gone) and removed at the next start.
import { pidAlive } from "../proc/pid-alive.js";
import { execFileSync } from "node:child_process";

import { run } from "./ip.js";

const NAME = /^evb-(\d+)-(\d+)-(srv|cli)$/;
let made = 0;
const live = new Set<string>();
let exitHookInstalled = false;

export interface NamespacePair {
  server: string;
  client: string;
}

export async function listNamespaces(): Promise<string[]> {
  const out = await run("ip", ["netns", "list"]);
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/)[0] ?? "")
    .filter((n) => n.length > 0);
}

/** Removes namespaces whose runner is gone; returns their names. */
export async function removeStale(): Promise<string[]> {
  const stale = (await listNamespaces()).filter((n) => {
    const m = NAME.exec(n);
    return m !== null && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]));
  });
  for (const n of stale) await run("ip", ["netns", "del", n]).catch(() => {});
  return stale;
}

/** Removes what this process made, synchronously: the last chance on an unexpected exit. */
function removeAllNow(): void {
  for (const n of live) {
    try {
      execFileSync("ip", ["netns", "del", n], { stdio: "ignore", timeout: 5000 });
    } catch {
      // gone already
    }
  }
  live.clear();
}

export async function createPair(sysctls: Record<string, string>): Promise<NamespacePair> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", removeAllNow);
  }
  const n = made++;
  const pair = { server: `evb-${process.pid}-${n}-srv`, client: `evb-${process.pid}-${n}-cli` };
  for (const ns of [pair.server, pair.client]) {
    await run("ip", ["netns", "add", ns]);
    live.add(ns);
    await run("ip", ["-n", ns, "link", "set", "lo", "up"]);
    // IPv4 only between the namespaces: no IPv6 autoconfiguration packets on the link's counters.
    await run("ip", [
      "netns",
      "exec",
      ns,
      "sysctl",
      "-q",
      "-w",
      "net.ipv6.conf.all.disable_ipv6=1",
      "net.ipv6.conf.default.disable_ipv6=1",
    ]).catch(() => {});
    for (const [k, v] of Object.entries(sysctls)) await run("ip", ["netns", "exec", ns, "sysctl", "-q", "-w", `${k}=${v}`]);
  }
  return pair;
}

export async function removePair(pair: NamespacePair): Promise<void> {
  for (const ns of [pair.server, pair.client]) {
    if (!live.has(ns)) continue;
    await run("ip", ["netns", "del", ns]).catch(() => {});
    live.delete(ns);
  }
}

/** Reads the namespace's TCP counters (snmp and netstat are per namespace). */
export async function readProcNet(ns: string): Promise<string> {
  return run("ip", ["netns", "exec", ns, "cat", "/proc/net/snmp", "/proc/net/netstat"]);
}
