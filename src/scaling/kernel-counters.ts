// The kernel's socket counters a level records: /proc/net/sockstat's TCP line (sockets in use,
// orphans, TIME_WAIT, buffer pages: machine-wide, both ends of a loopback connection) and
// netstat's ListenOverflows / ListenDrops (the accept queue full, SYNs dropped).
import { readdirSync, readFileSync } from "node:fs";

import { parseProcNet } from "../topology/tcp-counters.js";

export interface Sockstat {
  inuse: number;
  orphan: number;
  tw: number;
  memPages: number;
}

/** The "TCP: inuse 2 orphan 0 tw 6 alloc 2 mem 257" line. */
export function parseSockstat(text: string): Sockstat {
  const line = /^TCP:(.*)$/m.exec(text)?.[1] ?? "";
  const field = (k: string) => Number(new RegExp(`\\b${k} (\\d+)`).exec(line)?.[1] ?? NaN);
  const s = { inuse: field("inuse"), orphan: field("orphan"), tw: field("tw"), memPages: field("mem") };
  if (!Object.values(s).every(Number.isFinite)) throw new Error(`unreadable /proc/net/sockstat TCP line: "${line.trim()}"`);
  return s;
}

export function readSockstat(): Sockstat {
  return parseSockstat(readFileSync("/proc/net/sockstat", "utf8"));
}

export function sockstatDelta(a: Sockstat, b: Sockstat): Sockstat {
  return { inuse: b.inuse - a.inuse, orphan: b.orphan - a.orphan, tw: b.tw - a.tw, memPages: b.memPages - a.memPages };
}

export interface ListenCounters {
  listenOverflows: number | null;
  listenDrops: number | null;
}

export function readListenCounters(): ListenCounters {
  const all = parseProcNet(readFileSync("/proc/net/netstat", "utf8"));
  return { listenOverflows: all.ListenOverflows ?? null, listenDrops: all.ListenDrops ?? null };
}

/** Open descriptors of the processes together (a process that exited counts 0). */
export function countFds(pids: readonly number[]): number {
  let n = 0;
  for (const pid of pids) {
    try {
      n += readdirSync(`/proc/${pid}/fd`).length;
    } catch {
      // exited
    }
  }
  return n;
}
