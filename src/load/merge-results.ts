// Results of several client processes of one load merged exactly: counts add, HdrHistograms add
// (one bucket layout everywhere), and second k of every process's window is the same wall-clock
// second (the processes start their loads at one instant: native-split.ts), so per-second
// counts and per-second histograms add index by index.
import type { IntervalHistogram } from "./types.js";
import { newLatencyHistogram } from "./client-protocol.js";
import type { ConnectStats, GeneratorMemory, LoadResult, TlsStats } from "./types.js";

function sumOrNull(rs: LoadResult[], key: "sent" | "answered" | "failed" | "unfinished"): number | null {
  let total = 0;
  for (const r of rs) {
    const v = r[key];
    if (v === null) return null;
    total += v;
  }
  return total;
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

function addByIndex(into: number[], from: number[]): void {
  from.forEach((v, i) => {
    into[i] = (into[i] ?? 0) + v;
  });
}

function mergeIntervals(rs: LoadResult[]): IntervalHistogram[] | undefined {
  if (rs.some((r) => r.intervals === undefined)) return undefined;
  const out: IntervalHistogram[] = [];
  for (const r of rs) {
    r.intervals!.forEach((iv, k) => {
      const at = out[k];
      if (at === undefined) {
        const h = newLatencyHistogram();
        h.add(iv.histogram);
        out[k] = { startS: iv.startS, endS: iv.endS, histogram: h };
      } else {
        at.histogram.add(iv.histogram);
        at.endS = Math.max(at.endS, iv.endS);
      }
    });
  }
  return out;
}

function mergeConnect(rs: LoadResult[]): ConnectStats | undefined {
  if (rs.some((r) => r.connect === undefined)) return undefined;
  const ks = rs.map((r) => r.connect!);
  const latency = newLatencyHistogram();
  const errors = { ...ks[0]!.errors };
  let attempts = 0,
    opened = 0,
    firstOpened = 0,
    rampS = 0,
    rampCpuS = 0;
  for (const k of ks) {
    attempts += k.attempts;
    opened += k.opened;
    firstOpened += k.firstOpened;
    rampS = Math.max(rampS, k.rampS); // the ramps started together: the last one ends the ramp
    rampCpuS += k.rampCpuS;
    latency.add(k.latency);
  }
  for (const k of ks.slice(1)) for (const kind of Object.keys(errors) as (keyof typeof errors)[]) errors[kind] += k.errors[kind];
  return { attempts, opened, firstOpened, rampS, ratePerS: rampS > 0 ? firstOpened / rampS : null, rampCpuS, errors, latency };
}

function mergeTls(rs: LoadResult[]): TlsStats | undefined {
  if (rs.some((r) => r.tls === undefined)) return undefined;
  const ts = rs.map((r) => r.tls!);
  const latency = newLatencyHistogram();
  const errors = { ...ts[0]!.errors };
  let handshakes = 0,
    resumed = 0,
    earlyDataSent = 0,
    earlyDataAccepted = 0;
  for (const t of ts) {
    handshakes += t.handshakes;
    resumed += t.resumed;
    earlyDataSent += t.earlyDataSent;
    earlyDataAccepted += t.earlyDataAccepted;
    latency.add(t.latency);
  }
  for (const t of ts.slice(1)) for (const kind of Object.keys(errors) as (keyof typeof errors)[]) errors[kind] += t.errors[kind];
  const first = ts.find((t) => t.version !== null) ?? ts[0]!;
  return {
    handshakes,
    resumed,
    earlyDataSent,
    earlyDataAccepted,
    errors,
    latency,
    version: first.version,
    cipher: first.cipher,
    alpn: first.alpn,
  };
}

function mergeMemory(rs: LoadResult[]): GeneratorMemory | undefined {
  if (rs.some((r) => r.memory === undefined)) return undefined;
  let before = 0,
    after = 0,
    connections = 0;
  for (const r of rs) {
    before += r.memory!.rssBeforeBytes;
    after += r.memory!.rssAfterBytes;
    connections += r.memory!.connections;
  }
  return {
    rssBeforeBytes: before,
    rssAfterBytes: after,
    connections,
    perConnectionBytes: connections > 0 ? Math.max(0, after - before) / connections : 0,
  };
}

export function mergeLoadResults(rs: LoadResult[]): LoadResult {
  const first = rs[0];
  if (first === undefined) throw new Error("no client results to merge");
  const latency = newLatencyHistogram();
  const errors = { ...first.errors };
  const status: Record<string, number> = {};
  const perSecond: number[] = [];
  let requests = 0,
    bytesRead = 0,
    durationS = 0;
  for (const r of rs) {
    requests += r.requests;
    bytesRead += r.bytesRead;
    durationS = Math.max(durationS, r.durationS);
    latency.add(r.latency);
    addCounts(status, r.status);
    addByIndex(perSecond, r.perSecond);
  }
  for (const r of rs.slice(1)) for (const k of Object.keys(errors) as (keyof typeof errors)[]) errors[k] += r.errors[k];
  const statusCodes = rs.every((r) => r.statusCodes !== undefined)
    ? rs.reduce<Record<string, number>>((a, r) => (addCounts(a, r.statusCodes!), a), {})
    : undefined;
  const check = rs.every((r) => r.check !== undefined)
    ? rs.reduce(
        (a, r) => ({
          mismatched: a.mismatched + r.check!.mismatched,
          status: a.status + r.check!.status,
          length: a.length + r.check!.length,
          body: a.body + r.check!.body,
        }),
        { mismatched: 0, status: 0, length: 0, body: 0 },
      )
    : undefined;
  const intervals = mergeIntervals(rs);
  const connect = mergeConnect(rs);
  const tls = mergeTls(rs);
  const memory = mergeMemory(rs);
  return {
    generator: first.generator,
    requests,
    bytesRead,
    durationS,
    rps: durationS > 0 ? requests / durationS : 0,
    errors,
    status,
    latency,
    perSecond,
    sent: sumOrNull(rs, "sent"),
    answered: sumOrNull(rs, "answered"),
    failed: sumOrNull(rs, "failed"),
    unfinished: sumOrNull(rs, "unfinished"),
    latencyFrom: rs.some((r) => r.latencyFrom === "intended-send") ? "intended-send" : "send",
    ...(statusCodes !== undefined ? { statusCodes } : {}),
    ...(check !== undefined ? { check } : {}),
    ...(intervals !== undefined ? { intervals } : {}),
    ...(connect !== undefined ? { connect } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(memory !== undefined ? { memory } : {}),
  };
}
