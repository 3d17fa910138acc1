// Who serves a local port: the process that holds the listening socket, found from
// /proc/net/tcp{,6} (the socket's inode) and /proc/<pid>/fd (who holds it). Lets `load` sample a
// local server's CPU as `bench` does its targets'. Null when the server is not ours to see
// (another host, another user's process, no /proc).
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

import { parseStat } from "./proc.js";

const LISTEN = "0A";

/** Inodes of sockets listening on `port` in a /proc/net/tcp-format table. */
export function listeningInodes(table: string, port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const out: string[] = [];
  for (const line of table.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode
    if (f.length > 9 && f[1]!.endsWith(`:${hexPort}`) && f[3] === LISTEN && f[9] !== "0") out.push(f[9]!);
  }
  return out;
}

function read(path: string): string {
  try {
    return readFileSync(path, "latin1");
  } catch {
    return "";
  }
}

/** The pid holding a socket listening on the local `port`, or null. */
export function listenerPid(port: number): number | null {
  const inodes = new Set([...listeningInodes(read("/proc/net/tcp"), port), ...listeningInodes(read("/proc/net/tcp6"), port)]);
  if (inodes.size === 0) return null;
  const wanted = new Set([...inodes].map((i) => `socket:[${i}]`));
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${name}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (wanted.has(readlinkSync(`/proc/${name}/fd/${fd}`))) return Number(name);
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}

/** A process's group id (what GroupSampler samples), or null when it is gone. */
export function processGroup(pid: number): number | null {
  return parseStat(read(`/proc/${pid}/stat`))?.pgrp ?? null;
}

/** The CPUs a process may run on (its affinity), or null. */
export function allowedCpuList(pid: number): number[] | null {
  const m = /^Cpus_allowed_list:\s*(.+)$/m.exec(read(`/proc/${pid}/status`));
  if (!m) return null;
  const out: number[] = [];
  for (const part of m[1]!.trim().split(",")) {
    const [a, b] = part.split("-").map(Number);
    for (let c = a!; c <= (b ?? a!); c++) out.push(c);
  }
  return out.length > 0 ? out : null;
}

/** How many CPUs a process may run on, or null. */
export function allowedCpus(pid: number): number | null {
  return allowedCpuList(pid)?.length ?? null;
}
