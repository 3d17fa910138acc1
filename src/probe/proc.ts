// Reads a process group's resident memory and CPU time from /proc (Linux). A target may be
// several processes (cluster workers, a shell): everything in its process group counts.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

function getconf(name: string, fallback: number): number {
  try {
    const v = Number(execFileSync("getconf", [name], { encoding: "utf8" }).trim());
    return Number.isFinite(v) && v > 0 ? v : fallback;
  } catch {
    return fallback;
  }
}

export const CLK_TCK = getconf("CLK_TCK", 100);
export const PAGE_SIZE = getconf("PAGESIZE", 4096);

export interface ProcSample {
  /** Sum of RSS over the group's processes, bytes. */
  rssBytes: number;
  /** Sum of user + system CPU time over the group's processes, seconds. */
  cpuSeconds: number;
  pids: number[];
}

/** Parses /proc/<pid>/stat: the command name may contain spaces and parentheses. */
export function parseStat(text: string): { pgrp: number; utime: number; stime: number; cutime: number; cstime: number } | null {
  const close = text.lastIndexOf(")");
  if (close < 0) return null;
  const f = text.slice(close + 2).split(" ");
  // after ")": state(3) ppid(4) pgrp(5) ... utime(14) stime(15) cutime(16) cstime(17), from pid = 1
  const pgrp = Number(f[2]);
  const utime = Number(f[11]);
  const stime = Number(f[12]);
  const cutime = Number(f[13]);
  const cstime = Number(f[14]);
  if (![pgrp, utime, stime, cutime, cstime].every(Number.isFinite)) return null;
  return { pgrp, utime, stime, cutime, cstime };
}

export function groupPids(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    try {
      const st = parseStat(readFileSync(`/proc/${name}/stat`, "latin1"));
      if (st && st.pgrp === pgid) out.push(Number(name));
    } catch {
      // exited while listing
    }
  }
  return out;
}

/** Sums the group's members: `members` when the caller knows them (a member that exited or left
 *  the group is dropped from the sample), else every process of the group found in /proc. */
export function sampleGroup(pgid: number, members: readonly number[] = groupPids(pgid)): ProcSample {
  const pids: number[] = [];
  let rss = 0;
  let ticks = 0;
  for (const pid of members) {
    try {
      const st = parseStat(readFileSync(`/proc/${pid}/stat`, "latin1"));
      if (!st || st.pgrp !== pgid) continue;
      const statm = readFileSync(`/proc/${pid}/statm`, "latin1").split(" ");
      // Children that exited and were reaped (wrk under its shell) count through cutime/cstime.
      ticks += st.utime + st.stime + st.cutime + st.cstime;
      rss += Number(statm[1] ?? 0) * PAGE_SIZE;
      pids.push(pid);
    } catch {
      // exited between listing and reading
    }
  }
  return { rssBytes: rss, cpuSeconds: ticks / CLK_TCK, pids };
}
