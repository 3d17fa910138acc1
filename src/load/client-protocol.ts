// The line protocol between the runner and a client process written in Node (native, autocannon).
// The client prints one JSON object per line on stdout; the runner reads them in order.
//   {"type":"progress","phase":"warmup"|"measure","elapsedS":..,"requests":..,"errors":..}
//   {"type":"measure-start"}            warm-up is over: the measurement window begins
//   {"type":"measure-end"}              the window is over
//   {"type":"result","result":{...}}    SerializedLoadResult, then the client exits 0
//   {"type":"error","message":"..."}    the client failed; it exits 1
// The spec travels as JSON in the first argument.
import hdr from "hdr-histogram-js";

import type { CheckCounts, ConnectStats, ErrorCounts, GeneratorMemory, GeneratorName, LoadResult, Progress, TlsStats } from "./types.js";

/** ConnectStats with its latency histogram encoded like latencyHdr. */
export type SerializedConnectStats = Omit<ConnectStats, "latency"> & { latencyHdr: string };
/** TlsStats, the same way. */
export type SerializedTlsStats = Omit<TlsStats, "latency"> & { latencyHdr: string };

export interface SerializedLoadResult {
  generator: GeneratorName;
  requests: number;
  bytesRead: number;
  durationS: number;
  errors: ErrorCounts;
  status: Record<string, number>;
  /** Latency in microseconds, HdrHistogram compressed encoding (base64). */
  latencyHdr: string;
  perSecond: number[];
  /** Request accounting where the generator keeps it (native); absent: unknown. */
  sent?: number | null;
  answered?: number | null;
  failed?: number | null;
  unfinished?: number | null;
  latencyFrom?: "send" | "intended-send";
  statusCodes?: Record<string, number>;
  /** One compressed histogram per second of the window (LoadResult.intervals). */
  intervalsHdr?: string[];
  check?: CheckCounts;
  connect?: SerializedConnectStats;
  memory?: GeneratorMemory;
  tls?: SerializedTlsStats;
}

export type ClientMessage =
  | ({ type: "progress" } & Progress)
  | { type: "measure-start" }
  | { type: "measure-end" }
  | { type: "result"; result: SerializedLoadResult }
  /** A client started with waitForGo is ready and waits for "go <epoch ms>" on stdin. */
  | { type: "ready" }
  | { type: "error"; message: string };

export function emit(msg: ClientMessage): void {
  process.stdout.write(JSON.stringify(msg) + "\n");
}

/** A histogram for microsecond latencies from 1 us to 1 hour, 3 significant digits. */
export function newLatencyHistogram(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 64,
    useWebAssembly: false,
    autoResize: true,
  });
}

/** The percentiles every result reports, in microseconds, from any generator's histogram. */
export function latencySummary(h: hdr.Histogram): { p50: number; p90: number; p99: number; p999: number; max: number; mean: number } {
  return {
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    p999: h.getValueAtPercentile(99.9),
    max: h.maxValue,
    mean: h.mean,
  };
}

export function encodeHistogram(h: hdr.Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(b64: string): hdr.Histogram {
  return hdr.decodeFromCompressedBase64(b64, 64, false);
}

export function deserializeResult(s: SerializedLoadResult): LoadResult {
  return {
    generator: s.generator,
    requests: s.requests,
    bytesRead: s.bytesRead,
    durationS: s.durationS,
    rps: s.durationS > 0 ? s.requests / s.durationS : 0,
    errors: s.errors,
    status: s.status,
    latency: decodeHistogram(s.latencyHdr),
    perSecond: s.perSecond,
    sent: s.sent ?? null,
    answered: s.answered ?? null,
    failed: s.failed ?? null,
    unfinished: s.unfinished ?? null,
    latencyFrom: s.latencyFrom ?? "send",
    ...(s.statusCodes !== undefined ? { statusCodes: s.statusCodes } : {}),
    ...(s.check !== undefined ? { check: s.check } : {}),
    ...(s.intervalsHdr !== undefined ? { intervals: decodeIntervals(s.intervalsHdr, s.durationS) } : {}),
    ...(s.connect !== undefined ? { connect: deserializeConnect(s.connect) } : {}),
    ...(s.memory !== undefined ? { memory: s.memory } : {}),
    ...(s.tls !== undefined ? { tls: { ...s.tls, latency: decodeHistogram(s.tls.latencyHdr) } } : {}),
  };
}

function deserializeConnect(s: SerializedConnectStats): ConnectStats {
  const { latencyHdr, ...counts } = s;
  return { ...counts, latency: decodeHistogram(latencyHdr) };
}

/** The inverse of deserializeResult (a result merged from several processes goes out again). */
export function serializeResult(r: LoadResult): SerializedLoadResult {
  const { rps: _rps, latency, intervals, connect, tls, ...rest } = r;
  return {
    ...rest,
    latencyHdr: encodeHistogram(latency),
    ...(intervals !== undefined ? { intervalsHdr: intervals.map((iv) => encodeHistogram(iv.histogram)) } : {}),
    ...(connect !== undefined ? { connect: serializeConnect(connect) } : {}),
    ...(tls !== undefined ? { tls: serializeTls(tls) } : {}),
  };
}

export function serializeTls(t: TlsStats): SerializedTlsStats {
  const { latency, ...counts } = t;
  return { ...counts, latencyHdr: encodeHistogram(latency) };
}

function serializeConnect(k: ConnectStats): SerializedConnectStats {
  const { latency, ...counts } = k;
  return { ...counts, latencyHdr: encodeHistogram(latency) };
}

/** Second k of the window is [k, k + 1), the last one ending with the window. */
function decodeIntervals(hdrs: string[], durationS: number): LoadResult["intervals"] {
  return hdrs.map((b64, k) => ({ startS: k, endS: Math.min(k + 1, Math.max(k, durationS)), histogram: decodeHistogram(b64) }));
}

/** Parses one line of client output; null for a line that is not a protocol message. */
export function parseClientLine(line: string): ClientMessage | null {
  const t = line.trim();
  if (!t.startsWith("{")) return null;
  try {
    const v = JSON.parse(t) as { type?: unknown };
    return typeof v.type === "string" ? (v as ClientMessage) : null;
  } catch {
    return null;
  }
}
