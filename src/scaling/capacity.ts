// What a level needs, estimated before it starts, against what this machine grants: descriptors
// per process (RLIMIT_NOFILE), ephemeral ports per source address (ip_local_port_range) and,
// from the previous level's measured cost, memory against the cgroups' limits. A level that
// cannot fit is refused with one line naming the limit and the fix, before anything is measured.
import { readFileSync } from "node:fs";

import { formatBytes } from "../present/format.js";

/** Descriptors a process holds beyond its connections: stdio, the listener, epoll and eventfds,
 *  a runtime's own (Node opens ~30). A margin, so a level is refused before EMFILE, not at it. */
export const FD_RESERVE = 100;

export interface MachineLimits {
  /** RLIMIT_NOFILE hard limit (targets and the generator raise their soft limit to it). */
  nofileHard: number;
  /** net.ipv4.ip_local_port_range, inclusive. */
  portRange: [number, number];
}

/** "Max open files  20000  20000  files" from /proc/<pid>/limits. */
export function parseNofileHard(limits: string): number {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  if (!m) throw new Error("no 'Max open files' line in /proc/self/limits");
  return m[2] === "unlimited" ? Number.MAX_SAFE_INTEGER : Number(m[2]);
}

export function parsePortRange(text: string): [number, number] {
  const [lo, hi] = text.trim().split(/\s+/).map(Number);
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi! < lo!) throw new Error(`unreadable ip_local_port_range: "${text.trim()}"`);
  return [lo!, hi!];
}

export function readMachineLimits(): MachineLimits {
  return {
    nofileHard: parseNofileHard(readFileSync("/proc/self/limits", "utf8")),
    portRange: parsePortRange(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8")),
  };
}

/** How the generator spreads a level (one process, one source address until the generator says otherwise). */
export interface Spread {
  generatorProcesses: number;
  sourceAddresses: number;
}

/** Why `connections` cannot be held here (descriptors or ports), or null when it can. */
export function staticRefusal(connections: number, m: MachineLimits, spread: Spread): string | null {
  const targetFds = connections + FD_RESERVE;
  if (targetFds > m.nofileHard) {
    return `level ${connections} connections needs ${targetFds} descriptors in the target's process, over RLIMIT_NOFILE ${m.nofileHard} (hard): raise the hard limit (ulimit -Hn, systemd LimitNOFILE=; needs CAP_SYS_RESOURCE) or drop the level from scaling.connections`;
  }
  // The generator's processes share this limit and each holds ceil(N / processes) <= N: the
  // target's check covers them on one machine.
  const ports = (m.portRange[1] - m.portRange[0] + 1) * spread.sourceAddresses;
  if (connections > ports) {
    return `level ${connections} connections needs ${connections} ephemeral ports to one server port, over the ${ports} of net.ipv4.ip_local_port_range ${m.portRange[0]}-${m.portRange[1]} x ${spread.sourceAddresses} source address(es): widen the range (sysctl net.ipv4.ip_local_port_range) or drop the level`;
  }
  return null;
}

/** What the previous level cost per connection, measured. */
export interface MeasuredCost {
  connections: number;
  idleRssBytes: number;
  userBytesPerConn: number;
  kernelBytesPerConn: number | null;
  generatorRssPerConnMax: number | null;
}

/** Why `connections` would not fit in the cgroups at the measured cost, or null. */
export function memoryRefusal(connections: number, cost: MeasuredCost, limits: { target: number; generator: number }): string | null {
  const perConn = Math.max(0, cost.userBytesPerConn) + Math.max(0, cost.kernelBytesPerConn ?? 0);
  const target = cost.idleRssBytes + connections * perConn;
  if (target > limits.target) {
    return `level ${connections} connections needs about ${formatBytes(target)} in the target's memory cgroup at the ${cost.connections}-connection level's cost (${formatBytes(perConn)} per connection), over its limit of ${formatBytes(limits.target)}: raise scaling.memoryLimitBytes.target or drop the level`;
  }
  const gen = connections * Math.max(0, cost.generatorRssPerConnMax ?? 0);
  if (gen > limits.generator) {
    return `level ${connections} connections needs about ${formatBytes(gen)} in the generator's memory cgroup at the ${cost.connections}-connection level's cost, over its limit of ${formatBytes(limits.generator)}: raise scaling.memoryLimitBytes.generator or drop the level`;
  }
  return null;
}
