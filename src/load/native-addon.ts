// Loads the native addon's LoadGen and validates a LoadSpec before it reaches C++, which trusts
// what it is given. One message form for every problem (sharp's):
//   "Expected positive integer for connections but received -1 of type number".
import { createRequire } from "node:module";
import { isIP } from "node:net";

import type { Arrival, NativeBackend } from "../model/index.js";
import { ADDON_PATH } from "../paths.js";
import type { CheckCounts, ConnectErrorKind, ErrorCounts, LoadSpec, TlsErrorKind } from "./types.js";

export type NativePhase = "idle" | "warmup" | "measure" | "done";

export interface NativeProgress {
  phase: NativePhase;
  elapsedS: number;
  /** Answers received since the load started, warm-up included. */
  requests: number;
  /** Requests sent since the load started, warm-up included. */
  sent: number;
  errors: number;
  /** p99 of the measurement window so far, from the final histogram's buckets (after the run:
   * the final p99's bucket), null before any answer. */
  p99Us: number | null;
  /** p99 of the window's last whole second (after the run: its last second), null until one ended. */
  p99LastSecondUs: number | null;
  /** The same second's median (addons with the "lastSecondP50" feature; absent before). */
  p50LastSecondUs?: number | null;
  /** The last whole second of the window (1-based) and its answers, from the counters of the
   *  result's perSecond (feature "lastSecondRequests"); null until the first second is over. */
  lastSecond?: number | null;
  lastSecondRequests?: number | null;
}

export interface NativeLatency {
  /** Non-empty histogram buckets: representative value in microseconds, and its count. */
  valuesUs: Float64Array;
  counts: Float64Array;
  minUs: number;
  maxUs: number;
  meanUs: number;
}

export interface NativeLoadResult {
  /** Answers inside the measurement window. */
  requests: number;
  /** Answers at any time (warm-up, window, and the drain of in-flight requests after it). */
  completedTotal: number;
  /** Request accounting (native/core/load_stats.h): sent = completedTotal + failed + unfinished. */
  sent: number;
  /** Requests lost in flight (timed out, reset, closed under them), at any time. */
  failed: number;
  /** Requests still in flight when the run ended. */
  unfinished: number;
  backend: NativeBackend;
  /** io_uring ran with SQPOLL: a kernel thread of the client process polls the submission queue. */
  sqpoll: boolean;
  bytesRead: number;
  durationS: number;
  errors: ErrorCounts;
  status: Record<string, number>;
  latency: NativeLatency;
  perSecond: number[];
  /** Answers of the window by exact status code, {"200": n, ...} (feature "statusCodes"). */
  statusCodes?: Record<string, number>;
  /** --check, inside the window: answers unlike the expected one, and by field (feature "check"). */
  check?: CheckCounts;
  /** One entry per second of the window (perSecond's length): that second's latency buckets,
   *  in the form of `latency`'s (feature "intervals"). */
  intervals?: NativeBuckets[];
  connect?: NativeConnect;
  /** Every TLS handshake of the run (https, feature "tls"). */
  tls?: NativeTls;
}

/** Handshakes, resumed ones, failures by TLS_ERROR_KINDS, latency, and what was negotiated. */
export interface NativeTls {
  handshakes: number;
  resumed: number;
  earlyDataSent: number;
  earlyDataAccepted: number;
  errors: Record<TlsErrorKind, number>;
  latency: NativeBuckets;
  version: string | null;
  cipher: string | null;
  alpn: string | null;
}

/** Every connect of the run (feature "connectStats"); errors named as CONNECT_ERROR_KINDS. */
export interface NativeConnect {
  attempts: number;
  opened: number;
  firstOpened: number;
  rampS: number;
  rampCpuS: number;
  errors: Record<ConnectErrorKind, number>;
  latency: NativeBuckets;
}

export interface NativeBuckets {
  valuesUs: Float64Array;
  counts: Float64Array;
}

export interface NativeLoadGen {
  run(): Promise<NativeLoadResult>;
  progress(): NativeProgress;
  stop(): void;
}

/** Native-only spec fields (native/core/load_options.h); absent means the default. */
export interface NativeSpecExtras {
  /** A request budget: the run ends after exactly this many answers (warm-up included). */
  requests?: number;
  backend?: NativeBackend;
  /** io_uring only: a kernel thread polls the submission queue (burns a core). */
  sqpoll?: boolean;
  /** A literal body: a string of bytes (every code unit below 256), sent as it is with its
   *  Content-Length (feature "body"); replaces bodyBytes' pattern. */
  body?: string;
  /** How long a connect may take before it counts as a connect error (feature "connectTimeout"). */
  connectTimeoutMs?: number;
  /** --check (feature "check"): every answer compared with these; a field absent is not checked. */
  checkStatus?: number;
  /** The body's length after de-chunking. */
  checkLength?: number;
  /** FNV-1a 64 of the body, 16 lowercase hex digits (src/load/body-hash.ts). */
  checkBodyHash?: string;
  /** Numeric addresses of the target's family; connection i binds to the (i mod n)-th, with
   *  IP_BIND_ADDRESS_NO_PORT (feature "sourceAddresses"). Absent: the kernel chooses. */
  sourceAddresses?: string[];
  /** Connects per second over all threads (feature "connectRate"); absent: full speed. */
  connectRate?: number;
  /** Connections that send, spread evenly; the others are held idle (feature "active"). */
  active?: number;
  /** Open loop: evenly spaced requests, or exponential gaps per connection (feature "arrival"). */
  arrival?: Arrival;
  /** The arrival PRNG's seed (poisson). */
  seed?: number;
  /** At most this many connections per generator process (native-split.ts); absent: as many as
   *  the open-file limit allows. Read by the client process, not the addon. */
  connectionsPerProcess?: number;
  /** The client process waits for "go <epoch ms>" on stdin and starts its load then, so that
   *  several processes' windows share their seconds (native-split.ts). Not the addon's. */
  waitForGo?: boolean;
}

interface Addon {
  LoadGen: (new (options: LoadSpec) => NativeLoadGen) & { readonly features?: readonly string[] };
  /** null when the backend can run here, else why not. */
  loadBackendUnavailable(backend: NativeBackend, sqpoll?: boolean): string | null;
  /** Whether this build speaks TLS (absent in addons built before it). */
  tlsStatus?: () => { unavailable: string | null; library: string | null };
  /** Whether this build speaks HTTP/2 (absent in addons built before it). */
  h2Status?: () => { unavailable: string | null; library: string | null };
}

/** build/Release/evbench_native.node, or EVBENCH_ADDON when set (a build elsewhere). */
export function addonPath(): string {
  return process.env["EVBENCH_ADDON"] ?? ADDON_PATH;
}

let cached: Addon | null = null;

export function loadAddon(): Addon {
  if (cached === null) {
    const require = createRequire(import.meta.url);
    cached = require(addonPath()) as Addon;
  }
  return cached;
}

function describe(v: unknown): string {
  const shown = typeof v === "string" ? JSON.stringify(v) : Array.isArray(v) ? JSON.stringify(v) : String(v);
  return `${shown} of type ${Array.isArray(v) ? "array" : v === null ? "null" : typeof v}`;
}

function fail(what: string, name: string, v: unknown): never {
  throw new TypeError(`Expected ${what} for ${name} but received ${describe(v)}`);
}

function int(v: unknown, name: string, min: number, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) fail(what, name, v);
  return v;
}

function num(v: unknown, name: string, min: number, exclusive: boolean, what: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || (exclusive && v === min)) fail(what, name, v);
  return v;
}

function bool(v: unknown, name: string): boolean {
  if (typeof v !== "boolean") fail("boolean", name, v);
  return v;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NO_CTL = /^[^\x00-\x1f\x7f]*$/;

/** Throws a TypeError naming the first field that is wrong. */
export function validateSpec(spec: LoadSpec): void {
  if (typeof spec !== "object" || spec === null) fail("object", "spec", spec);
  if (typeof spec.host !== "string" || spec.host.length === 0) fail("non-empty string", "host", spec.host);
  int(spec.port, "port", 1, "integer between 1 and 65535", 65535);
  int(spec.connections, "connections", 1, "positive integer");
  int(spec.threads, "threads", 1, "positive integer", 1024);
  int(spec.pipeline, "pipeline", 1, "integer between 1 and 1024", 1024);
  if (spec.rate !== null) num(spec.rate, "rate", 0, true, "positive number or null");
  bool(spec.keepAlive, "keepAlive");
  bool(spec.fastOpen, "fastOpen");
  bool(spec.echo, "echo");
  if (!spec.keepAlive && spec.pipeline !== 1) fail("1 (keepAlive is false)", "pipeline", spec.pipeline);
  if (typeof spec.method !== "string" || !TOKEN.test(spec.method)) fail("HTTP method token", "method", spec.method);
  if (typeof spec.path !== "string" || !/^\/[^\s]*$/.test(spec.path)) fail("path starting with / without spaces", "path", spec.path);
  if (typeof spec.headers !== "object" || spec.headers === null || Array.isArray(spec.headers))
    fail("object of header strings", "headers", spec.headers);
  for (const [k, v] of Object.entries(spec.headers)) {
    if (!TOKEN.test(k)) fail("header name token", "headers", k);
    if (typeof v !== "string" || !NO_CTL.test(v)) fail("header value without control characters", `headers.${k}`, v);
  }
  int(spec.bodyBytes, "bodyBytes", 0, "non-negative integer", 64 * 1024 * 1024);
  if (spec.echo && spec.bodyBytes === 0) fail("positive integer (echo messages need a size)", "bodyBytes", spec.bodyBytes);
  num(spec.warmupS, "warmupS", 0, false, "non-negative number");
  num(spec.durationS, "durationS", 0, true, "positive number");
  int(spec.timeoutMs, "timeoutMs", 1, "positive integer");
  if (spec.cpus !== null) {
    if (!Array.isArray(spec.cpus) || spec.cpus.length === 0) fail("non-empty array of CPU numbers or null", "cpus", spec.cpus);
    for (const c of spec.cpus) int(c, "cpus", 0, "non-negative integer", 4095);
  }
}

function validateExtras(spec: NativeSpecExtras): void {
  if (spec.requests !== undefined) int(spec.requests, "requests", 1, "positive integer");
  if (spec.backend !== undefined && spec.backend !== "epoll" && spec.backend !== "io_uring")
    fail("one of 'epoll', 'io_uring'", "backend", spec.backend);
  if (spec.sqpoll !== undefined) bool(spec.sqpoll, "sqpoll");
  if (spec.sqpoll === true && spec.backend !== "io_uring") fail("false unless backend is 'io_uring'", "sqpoll", spec.sqpoll);
  if (spec.body !== undefined) {
    if (typeof spec.body !== "string" || !/^[\x00-\xff]*$/.test(spec.body))
      fail("string of bytes (code units below 256)", "body", spec.body);
    int(spec.body.length, "body length", 0, "at most 64 MiB", 64 * 1024 * 1024);
  }
  if (spec.connectTimeoutMs !== undefined) int(spec.connectTimeoutMs, "connectTimeoutMs", 1, "positive integer");
  if (spec.checkStatus !== undefined) int(spec.checkStatus, "checkStatus", 100, "integer between 100 and 599", 599);
  if (spec.checkLength !== undefined) int(spec.checkLength, "checkLength", 0, "non-negative integer");
  if (spec.checkBodyHash !== undefined && (typeof spec.checkBodyHash !== "string" || !/^[0-9a-f]{16}$/.test(spec.checkBodyHash)))
    fail("16 lowercase hex digits", "checkBodyHash", spec.checkBodyHash);
}

function validateScaling(spec: LoadSpec & NativeSpecExtras): void {
  if (spec.sourceAddresses !== undefined) {
    if (!Array.isArray(spec.sourceAddresses) || spec.sourceAddresses.length === 0)
      fail("non-empty array of IP addresses", "sourceAddresses", spec.sourceAddresses);
    const family = isIP(spec.host);
    for (const a of spec.sourceAddresses) {
      const f = typeof a === "string" ? isIP(a) : 0;
      if (f === 0) fail("IP address", "sourceAddresses", a);
      if (family !== 0 && f !== family) fail(`IPv${family} address (the target's family)`, "sourceAddresses", a);
    }
  }
  if (spec.connectRate !== undefined) num(spec.connectRate, "connectRate", 0, true, "positive number");
  // 0: a process of a split load whose share holds only idle connections.
  if (spec.active !== undefined) int(spec.active, "active", 0, `integer between 0 and connections (${spec.connections})`, spec.connections);
  if (spec.arrival !== undefined && spec.arrival !== "constant" && spec.arrival !== "poisson")
    fail("one of 'constant', 'poisson'", "arrival", spec.arrival);
  if (spec.seed !== undefined) int(spec.seed, "seed", 0, "non-negative integer");
  if (spec.connectionsPerProcess !== undefined) int(spec.connectionsPerProcess, "connectionsPerProcess", 1, "positive integer");
  if (spec.waitForGo !== undefined) bool(spec.waitForGo, "waitForGo");
}

function validateTls(spec: LoadSpec & NativeSpecExtras): void {
  const t = spec.tls;
  if (t === undefined) return;
  if (typeof t !== "object" || t === null) fail("object", "tls", t);
  if (t.caFile !== undefined && (typeof t.caFile !== "string" || t.caFile.length === 0)) fail("non-empty path", "tls.caFile", t.caFile);
  bool(t.insecure, "tls.insecure");
  bool(t.resume, "tls.resume");
  if (t.earlyData !== undefined) bool(t.earlyData, "tls.earlyData");
  if (t.earlyData === true && !t.resume) fail("tls.resume true (early data rides on a resumed session)", "tls.earlyData", t.earlyData);
  if (t.alpn !== "http/1.1" && t.alpn !== "h2") fail("one of 'http/1.1', 'h2'", "tls.alpn", t.alpn);
  if (spec.echo) fail("absent (echo is raw TCP)", "tls", t);
}

/** null when this addon speaks HTTP/2, else why not. */
export function h2Unavailable(): string | null {
  const status = loadAddon().h2Status;
  if (status === undefined) return "the native addon was built before HTTP/2: run npm run build:addon";
  return status().unavailable;
}

function validateH2(spec: LoadSpec & NativeSpecExtras): void {
  const h = spec.h2;
  if (h === undefined) return;
  if (typeof h !== "object" || h === null) fail("object", "h2", h);
  int(h.streams, "h2.streams", 1, "integer between 1 and 1024", 1024);
  if (h.window !== undefined) int(h.window, "h2.window", 65_535, "integer between 65535 and 2147483647", 2_147_483_647);
  if (spec.pipeline !== 1) fail("1 with h2 (streams replace pipelining)", "pipeline", spec.pipeline);
  if (!spec.keepAlive) fail("true with h2", "keepAlive", spec.keepAlive);
  if (spec.echo) fail("absent (echo is raw TCP)", "h2", h);
  if (spec.bodyBytes !== 0 || spec.body !== undefined) fail("0 with h2 (request bodies over HTTP/2: not yet)", "bodyBytes", spec.bodyBytes);
  if (spec.checkBodyHash !== undefined) fail("absent with h2 (status and length are checked)", "checkBodyHash", spec.checkBodyHash);
  if (spec.tls !== undefined && spec.tls.alpn !== "h2") fail("'h2' with h2 over TLS", "tls.alpn", spec.tls.alpn);
}

/** null when this addon speaks TLS, else why not. */
export function tlsUnavailable(): string | null {
  const status = loadAddon().tlsStatus;
  if (status === undefined) return "the native addon was built before TLS: run npm run build:addon";
  return status().unavailable;
}

/** What this addon's generator can do beyond the base contract (LoadGen.features). */
export function loadGenFeatures(): readonly string[] {
  return loadAddon().LoadGen.features ?? [];
}

/** Validates the spec and creates the native load generator (it starts on run()). */
export function createLoadGen(spec: LoadSpec & NativeSpecExtras): NativeLoadGen {
  validateSpec(spec);
  validateExtras(spec);
  validateScaling(spec);
  validateTls(spec);
  validateH2(spec);
  return new (loadAddon().LoadGen)(spec);
}
