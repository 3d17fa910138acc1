// The kernel's TCP counters of one network namespace, from /proc/net/snmp and /proc/net/netstat
// (both are per namespace: they show the namespace of the process that reads them).

/** The counters a run records, as the kernel names them ("Tcp:" from snmp, "TcpExt:" from netstat). */
export const TCP_COUNTERS = [
  "ActiveOpens",
  "PassiveOpens",
  "AttemptFails",
  "EstabResets",
  "InSegs",
  "OutSegs",
  "RetransSegs",
  "InErrs",
  "TCPTimeouts",
  "TCPLossProbes",
  "TCPFastRetrans",
  "TCPSlowStartRetrans",
  "TCPSynRetrans",
  "TCPLostRetransmit",
  "TCPSpuriousRTOs",
  "TCPFastOpenActive",
  "TCPFastOpenActiveFail",
  "TCPFastOpenPassive",
  "TCPFastOpenPassiveFail",
  "TCPFastOpenCookieReqd",
  "TCPFastOpenListenOverflow",
  "TCPFastOpenBlackhole",
  "ListenOverflows",
  "ListenDrops",
] as const;

/** Parses the header/value line pairs of snmp and netstat ("Tcp: A B" then "Tcp: 1 2"). */
export function parseProcNet(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  const lines = text.split("\n");
  for (let i = 0; i + 1 < lines.length; i++) {
    const head = lines[i]!.trim().split(/\s+/);
    const vals = lines[i + 1]!.trim().split(/\s+/);
    if (head[0] !== vals[0] || !head[0]?.endsWith(":") || !/^-?\d/.test(vals[1] ?? "")) continue;
    const group = head[0].slice(0, -1);
    if (group !== "Tcp" && group !== "TcpExt") continue;
    for (let k = 1; k < head.length; k++) out[head[k]!] = Number(vals[k]);
    i++;
  }
  return out;
}

/** The recorded counters only; a counter this kernel lacks is left out, not zero. */
export function pickTcpCounters(all: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of TCP_COUNTERS) if (typeof all[k] === "number" && Number.isFinite(all[k])) out[k] = all[k]!;
  return out;
}

/** end - start for every key in both. */
export function counterDelta(start: Record<string, number>, end: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(end)) if (typeof start[k] === "number") out[k] = end[k]! - start[k]!;
  return out;
}
