// clientBound: the client used (nearly) all the CPU it may use while the server still had
// headroom, so the number describes the client. Judged from both sides: a client at 95 % beside
// a server at 100 % is a balanced run, not the client's number.
import type { VerdictReason } from "../model/index.js";
import { pct } from "./combine.js";
import { CLIENT_SATURATED_SHARE, SERVER_HEADROOM_SHARE } from "./thresholds.js";

export interface CpuFacts {
  /** CPU % over the window (100 = one CPU busy). */
  clientCpuPct: number;
  /** What the client may use: min(its threads, its CPUs) x 100. */
  clientAllotmentPct: number;
  /** null where the server is not ours to sample (load against any URL). */
  serverCpuPct: number | null;
  serverAllotmentPct: number | null;
}

export function saturationReasons(f: CpuFacts): VerdictReason[] {
  const clientShare = f.clientAllotmentPct > 0 ? f.clientCpuPct / f.clientAllotmentPct : 0;
  if (clientShare < CLIENT_SATURATED_SHARE) return [];
  const client = `client CPU ${f.clientCpuPct.toFixed(0)} % of its ${f.clientAllotmentPct.toFixed(0)} % (${pct(clientShare)}) >= ${pct(CLIENT_SATURATED_SHARE)}`;
  if (f.serverCpuPct === null || f.serverAllotmentPct === null || f.serverAllotmentPct <= 0) {
    return [
      { kind: "clientBound", code: "client-saturated", message: `${client}; the server's CPU is unknown: the number may be the client's` },
    ];
  }
  const serverShare = f.serverCpuPct / f.serverAllotmentPct;
  if (serverShare >= SERVER_HEADROOM_SHARE) return [];
  return [
    {
      kind: "clientBound",
      code: "client-saturated",
      message: `${client} while the server used ${f.serverCpuPct.toFixed(0)} % of its ${f.serverAllotmentPct.toFixed(0)} % (${pct(serverShare)}): the number is the client's`,
    },
  ];
}

/** What a process may use: min(threads, CPUs it may run on) x 100 %. */
export function allotmentPct(threads: number, cpus: number): number {
  return Math.max(1, Math.min(threads, cpus)) * 100;
}
