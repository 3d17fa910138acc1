// The contract every load generator implements. A generator runs in its own client process
// (so it can be pinned and its CPU measured apart from the runner); the adapters here start it,
// read its progress and turn its answer into a LoadResult whose latency is an hdr-histogram-js
// histogram, whichever generator measured it.
import type { Histogram } from "hdr-histogram-js";

import type { Placement } from "../proc/placement.js";
import type { ErrorCounts, GeneratorName } from "../model/index.js";

export type { ErrorCounts, ErrorKind, GeneratorName } from "../model/index.js";

/** One interval of a run: latencies (us) of the answers that arrived in [startS, endS). */
export interface IntervalHistogram {
  /** Seconds from the start of the measurement window. */
  startS: number;
  endS: number;
  histogram: Histogram;
}

export interface LoadSpec {
  host: string;
  port: number;
  connections: number;
  /** Client threads (native, wrk). */
  threads: number;
  /** Requests in flight per connection; 1 = no pipelining. */
  pipeline: number;
  /** Constant total request rate per second (open loop, CO-corrected); null = closed loop. */
  rate: number | null;
  keepAlive: boolean;
  /** TCP Fast Open on connect (only meaningful with keepAlive=false). */
  fastOpen: boolean;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Request body size in bytes (0 = none). */
  bodyBytes: number;
  /** Raw TCP echo instead of HTTP: each "request" is a bodyBytes message echoed back. */
  echo: boolean;
  warmupS: number;
  durationS: number;
  timeoutMs: number;
  /** CPUs the client process is pinned to (null = not pinned). */
  cpus: number[] | null;
  /** Where the client process runs (a namespace, a host over ssh); absent = here. */
  place?: Placement | null;
  /** https: how to speak TLS (native; wrk without a certificate check); absent = plain TCP. */
  tls?: TlsSpec;
  /** HTTP/2 (native): h2c with prior knowledge without tls, h2 by ALPN with it; absent = HTTP/1.1. */
  h2?: H2Spec;
}

/** HTTP/2: concurrent streams per connection (each like a pipeline slot of HTTP/1.1, timed from its
 *  intended start in the open loop) and the receive window asked of the server. */
export interface H2Spec {
  streams: number;
  /** Bytes; absent: nghttp2's default (65,535). */
  window?: number;
}

export interface LoadResult {
  generator: GeneratorName;
  /** Completed requests inside the measurement window (warm-up excluded). */
  requests: number;
  bytesRead: number;
  durationS: number;
  rps: number;
  errors: ErrorCounts;
  /** Responses by status class: "2xx", "3xx", "4xx", "5xx". */
  status: Record<string, number>;
  /** Latency in microseconds. */
  latency: Histogram;
  /** Completed requests per second of the measurement window. */
  perSecond: number[];
  /** Request accounting over the whole run (warm-up, window and the drain after it), where the
   *  generator keeps it (native; null: it cannot tell): sent = answered + failed + unfinished.
   *  Requests written. */
  sent: number | null;
  /** Answered, any status. */
  answered: number | null;
  /** Lost in flight with their connection (reset, timeout, bad response, closed). */
  failed: number | null;
  /** Sent and neither answered nor failed when the run ended. */
  unfinished: number | null;
  /** Where latency is timed from: the intended send time (coordinated omission corrected) or the
   *  actual send (closed loops, and autocannon's --rate, which is not corrected). */
  latencyFrom: "send" | "intended-send";
  /** Answers of the window by exact status code, {"200": n, "404": n} (generators that count them). */
  statusCodes?: Record<string, number>;
  /** The window's latencies second by second (generators that record them): their histograms
   *  add up to `latency`, and each holds perSecond[k] answers. */
  intervals?: IntervalHistogram[];
  /** --check: answers of the window unlike the expected one (still counted in `requests`). */
  check?: CheckCounts;
  /** Connects by outcome, their latency and the ramp's rate (generators that count them). */
  connect?: ConnectStats;
  /** The generator's own memory per connection held (native). */
  memory?: GeneratorMemory;
  /** Every TLS handshake of the run (https, native). */
  tls?: TlsStats;
}

/** Why a connect failed, from its errno (native/core/load_connect.h). */
export const CONNECT_ERROR_KINDS = ["refused", "timeout", "addrNotAvail", "descriptors", "reset", "unreachable", "other"] as const;
export type ConnectErrorKind = (typeof CONNECT_ERROR_KINDS)[number];

/** Every connect of the run (warm-up and window: connections are opened in the ramp). */
export interface ConnectStats {
  /** connect() calls made. */
  attempts: number;
  /** Connects that succeeded (reconnects included). */
  opened: number;
  /** Connections open at least once (at most the connections asked for). */
  firstOpened: number;
  /** From the load's start to when the last of those was first open. */
  rampS: number;
  /** firstOpened / rampS: the connect rate achieved in the ramp; null when none opened. */
  ratePerS: number | null;
  /** CPU time the generator's load threads spent until all their connections were open (the
   *  cost of the ramp, without the client process's start-up). */
  rampCpuS: number;
  errors: Record<ConnectErrorKind, number>;
  /** From connect() to established, in microseconds. */
  latency: Histogram;
}

/** Why a TLS handshake failed (native/core/load_tls.h). */
export const TLS_ERROR_KINDS = ["handshake", "certificate", "alert", "timeout", "alpn"] as const;
export type TlsErrorKind = (typeof TLS_ERROR_KINDS)[number];

/** https: how the generator speaks TLS. */
export interface TlsSpec {
  /** PEM file of the CAs to trust; absent: the system store. */
  caFile?: string;
  /** No certificate check at all (--insecure). */
  insecure: boolean;
  /** The ALPN protocol offered (and, for h2, required). */
  alpn: "http/1.1" | "h2";
  /** Offer the last session ticket on every new connection (--tls-resume). */
  resume: boolean;
  /** With resume: a connection's first requests as TLS 1.3 early data where the ticket allows
   *  it (--tls-early-data); absent: off. */
  earlyData?: boolean;
}

/** Every TLS handshake of the run (generators that count them: native). */
export interface TlsStats {
  handshakes: number;
  /** Of those, resumed from a session ticket. */
  resumed: number;
  /** Connections whose first requests went as early data, and of those the ones the server
   *  accepted (the others were sent again after the handshake). */
  earlyDataSent: number;
  earlyDataAccepted: number;
  errors: Record<TlsErrorKind, number>;
  /** From the TCP connect's end to the handshake's end, in microseconds. */
  latency: Histogram;
  /** As negotiated (the first handshake's); null when none completed. */
  version: string | null;
  cipher: string | null;
  alpn: string | null;
}

/** The generator process's own memory for the connections it held (native). */
export interface GeneratorMemory {
  /** Resident set before the load started and after it (the connections still allocated). */
  rssBeforeBytes: number;
  rssAfterBytes: number;
  connections: number;
  /** (rssAfterBytes - rssBeforeBytes) / connections. */
  perConnectionBytes: number;
}

/** --check's counts: answers that differed, and how many differed in each field. */
export interface CheckCounts {
  mismatched: number;
  status: number;
  length: number;
  body: number;
}

export interface Progress {
  phase: "warmup" | "measure";
  /** Seconds since the load began, the warm-up included (the live view shows each phase's own). */
  elapsedS: number;
  requests: number;
  errors: number;
  /** Latency p99 so far in microseconds, where the generator can tell while running. */
  p99Us?: number | null;
  /** The last line of the window, its figures from the final histogram (shown, never skipped). */
  final?: boolean;
  /** On the final line: answers in the window's last whole second (the last measured second). */
  lastSecondRps?: number | null;
  /** p50 and p99 of the window's last whole second (the native generator). */
  p50LastSecondUs?: number | null;
  p99LastSecondUs?: number | null;
  /** The window's last whole second (1-based) and its answers: the same figure as that second's
   *  entry of the result's perSecond (the native generator); null until the first second ends. */
  second?: number | null;
  secondRequests?: number | null;
}

export interface RunHooks {
  /** Called when warm-up ends and the measurement window starts. */
  onMeasureStart?: () => void;
  /** Called when the measurement window ends, before the result is assembled. */
  onMeasureEnd?: () => void;
  onProgress?: (p: Progress) => void;
  /** Aborting stops the client process (its whole group) and rejects with an AbortError. */
  signal?: AbortSignal;
}

export interface LoadGenerator {
  readonly name: GeneratorName;
  /** null when usable, else why not (and how to fix it). */
  unavailableReason(): Promise<string | null>;
  /** Starts the client process and resolves with its result; pid is reported as soon as known. */
  run(spec: LoadSpec, hooks: RunHooks & { onClientPid?: (pid: number) => void }): Promise<LoadResult>;
}

export function emptyErrors(): ErrorCounts {
  return { connect: 0, reset: 0, timeout: 0, badResponse: 0, status: 0, tls: 0, goaway: 0, rstStream: 0 };
}

/** What a generator throws when its run was aborted: the run was interrupted, nothing failed. */
export class InterruptedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InterruptedError";
  }
}

export function interrupted(label: string): InterruptedError {
  return new InterruptedError(`interrupted: the ${label} client was stopped before the end of its window`);
}
