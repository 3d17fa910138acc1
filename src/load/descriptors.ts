// The open-file limit, which bounds the connections one client process can hold: one socket
// each, beside the descriptors the process needs anyway (stdio, epoll, pipes, timers, Node).
import { readFileSync } from "node:fs";

export interface NoFile {
  soft: number;
  hard: number;
}

/** Descriptors a client needs beside its sockets. */
export const FD_SPARE = 64;

/** This process's RLIMIT_NOFILE (/proc/self/limits); null where it cannot be read. */
export function readNoFile(): NoFile | null {
  let text: string;
  try {
    text = readFileSync("/proc/self/limits", "utf8");
  } catch {
    return null;
  }
  const m = /Max open files\s+(\S+)\s+(\S+)/.exec(text);
  if (!m) return null;
  const n = (s: string) => (s === "unlimited" ? Number.POSITIVE_INFINITY : Number(s));
  return { soft: n(m[1]!), hard: n(m[2]!) };
}

/** Connections one client process may hold: its hard limit (a child raises its soft one to it)
 *  less the spare; unbounded where the limit cannot be read. */
export function connectionsPerProcessLimit(lim: NoFile | null = readNoFile()): number {
  if (lim === null || !Number.isFinite(lim.hard)) return Number.MAX_SAFE_INTEGER;
  return Math.max(1, lim.hard - FD_SPARE);
}
