// From `load`'s flags to the generator's LoadSpec, every value checked first: the URL, headers,
// method, body, and what the chosen generator can do. Options the generator contract does not
// carry yet (an exact request count, a literal body, a connect timeout) travel as extra fields
// of the spec, and only to a native addon that declares them in LoadGen.features.
import { BadInputError } from "../errors.js";
import { nativeBackendUnavailable, type NativeBackend } from "../load/backend.js";
import { loadAddon } from "../load/native-addon.js";
import { readBounded } from "../io/bounded-read.js";
import type { GeneratorName, H2Spec, LoadSpec, TlsSpec } from "../load/types.js";
import { scalingExtras, type ScalingExtras, type ScalingFlags } from "./load-scaling.js";
import { h2SpecOf, type H2Flags } from "./load-h2-flags.js";
import { tlsSpecOf, type TlsFlags } from "./load-tls-flags.js";

export interface LoadFlags {
  url: string;
  connections: number;
  threads: number;
  durationS: number;
  warmupS: number;
  requests: number | undefined;
  rate: number | undefined;
  pipeline: number;
  method: string;
  headers: string[];
  body: string | undefined;
  bodyFile: string | undefined;
  bodySize: number;
  keepAlive: boolean;
  fastOpen: boolean;
  timeoutS: number;
  connectTimeoutS: number | undefined;
  cpus: number[] | null;
  generator: GeneratorName;
  backend: NativeBackend;
  sqpoll: boolean;
  tls: TlsFlags;
  h2: H2Flags;
  /** --check's raw value (HTTP/2 refuses a body check). */
  check?: string | undefined;
  scaling: ScalingFlags;
}

/** Fields beyond the LoadSpec contract, read by the native addon when it has them. */
export interface SpecExtras extends ScalingExtras {
  /** The native generator's request budget: exactly this many answers, then the run ends. */
  requests?: number;
  /** A literal request body (bytes as a latin1 string) instead of bodyBytes of pattern. */
  body?: string;
  connectTimeoutMs?: number;
  /** --check's expected answer (src/commands/load-check.ts). */
  checkStatus?: number;
  checkLength?: number;
  checkBodyHash?: string;
  /** The native generator's I/O backend (issue 17); absent means epoll. */
  backend?: NativeBackend;
  sqpoll?: boolean;
  /** https (native, wrk). */
  tls?: TlsSpec;
  /** HTTP/2 (native). */
  h2?: H2Spec;
}

export type LoadRequestSpec = LoadSpec & SpecExtras;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** URL refuses a port above 65535 as "invalid URL": name the port instead. */
function checkPortRange(url: string): void {
  const port = /^[a-z][a-z0-9+.-]*:\/\/(?:\[[^\]]*\]|[^/?#:]*):(\d+)(?:[/?#]|$)/i.exec(url)?.[1];
  if (port !== undefined && Number(port) > 65535) {
    throw new BadInputError(`<url> ${url}: port ${port} out of range; a TCP port is 1..65535`);
  }
}

function parseUrl(url: string): { host: string; port: number; path: string; https: boolean } {
  checkPortRange(url);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new BadInputError(`<url> "${url}": not a URL; expected e.g. http://127.0.0.1:8080/plaintext`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new BadInputError(`<url> ${url}: only http:// and https:// are supported (got ${u.protocol})`);
  const https = u.protocol === "https:";
  const port = Number(u.port || (https ? 443 : 80));
  if (port === 0)
    throw new BadInputError(`<url> ${url}: port 0 cannot be connected to; give the server's port, e.g. http://127.0.0.1:8080/`);
  return { host: u.hostname.replace(/^\[|\]$/g, ""), port, path: `${u.pathname}${u.search}`, https };
}

export function parseHeaders(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(":");
    const name = i > 0 ? line.slice(0, i).trim() : "";
    const value = i > 0 ? line.slice(i + 1).trim() : "";
    if (!TOKEN.test(name)) throw new BadInputError(`-H "${line}": expected "Name: value", e.g. -H "Accept: text/plain"`);
    if (/[\x00-\x1f\x7f]/.test(value))
      throw new BadInputError(`-H "${name}": the value has control characters; headers are one line of text`);
    out[name] = value;
  }
  return out;
}

/**
 * What the installed native addon understands beyond the base contract: the names it lists in
 * LoadGen.features, plus "requests" (the request budget) for an addon that exports
 * loadBackendUnavailable, which came with the budget (native/addon/loadgen_binding.cc).
 */
export function nativeFeatures(): Set<string> {
  try {
    const addon = loadAddon();
    const listed: unknown = Reflect.get(addon.LoadGen, "features");
    const names = Array.isArray(listed) ? listed.filter((x): x is string => typeof x === "string") : [];
    if (typeof Reflect.get(addon, "loadBackendUnavailable") === "function") names.push("requests");
    return new Set(names);
  } catch {
    return new Set();
  }
}

export function need(g: GeneratorName, feature: string, flag: string): void {
  if (g !== "native") throw new BadInputError(`${flag} needs the native generator (${g} cannot do it); drop --generator ${g}`);
  if (!nativeFeatures().has(feature)) {
    throw new BadInputError(
      `${flag}: this build's native addon has no "${feature}" option yet; rebuild it (npm run build:addon) from a version that has it`,
    );
  }
}

function bodyOf(f: LoadFlags): { body?: string; bodyBytes: number } {
  const given = [f.body !== undefined, f.bodyFile !== undefined, f.bodySize > 0].filter(Boolean).length;
  if (given > 1) throw new BadInputError("--body, --body-file and --body-size exclude each other; give one");
  if (f.bodyFile !== undefined) {
    const b = readBounded(f.bodyFile, "--body-file", "body");
    return { body: b.toString("latin1"), bodyBytes: b.length };
  }
  if (f.body !== undefined) {
    // The text goes out as UTF-8; the addon takes a string of bytes (one code unit a byte).
    const bytes = Buffer.from(f.body, "utf8");
    return { body: bytes.toString("latin1"), bodyBytes: bytes.length };
  }
  return { bodyBytes: f.bodySize };
}

function checkCombination(f: LoadFlags): void {
  if (f.rate !== undefined && f.generator === "wrk") {
    throw new BadInputError("--rate: wrk has no constant-rate mode (wrk2 has); use the native generator (drop --generator wrk)");
  }
  if (!f.keepAlive && f.pipeline > 1) throw new BadInputError("--pipeline needs keep-alive connections; drop --no-keepalive or --pipeline");
  if (f.fastOpen && f.keepAlive) throw new BadInputError("--fast-open only matters for new connections; add --no-keepalive");
  if (f.connections < f.threads)
    throw new BadInputError(
      `-t ${f.threads} is above -c ${f.connections}: each client thread needs a connection, the others would not run; lower -t or raise -c`,
    );
  if (!TOKEN.test(f.method)) throw new BadInputError(`--method "${f.method}": not an HTTP method; e.g. GET, POST, PUT`);
}

/** --backend / --sqpoll: only the native generator has a choice, and only where the kernel allows it. */
function backendOf(f: LoadFlags): Pick<SpecExtras, "backend" | "sqpoll"> {
  if (f.sqpoll && f.backend !== "io_uring") throw new BadInputError("--sqpoll is an io_uring mode; add --backend io_uring");
  if (f.backend === "epoll") return {};
  if (f.generator !== "native")
    throw new BadInputError(
      `--backend ${f.backend} needs the native generator (${f.generator} has its own I/O); drop --generator ${f.generator}`,
    );
  const why = nativeBackendUnavailable(f.backend, f.sqpoll);
  if (why) throw new BadInputError(`--backend ${f.backend}${f.sqpoll ? " --sqpoll" : ""} is unavailable here: ${why}; use --backend epoll`);
  return { backend: f.backend, sqpoll: f.sqpoll };
}

export function buildLoadSpec(f: LoadFlags): LoadRequestSpec {
  checkCombination(f);
  const { host, port, path, https } = parseUrl(f.url);
  const { body, bodyBytes } = bodyOf(f);
  const extras: SpecExtras = { ...backendOf(f), ...scalingExtras(f.scaling, { ...f, host, port }, need) };
  const h2 = h2SpecOf(f.h2, {
    generator: f.generator,
    pipeline: f.pipeline,
    keepAlive: f.keepAlive,
    hasBody: body !== undefined || bodyBytes > 0,
    check: f.check,
  });
  const tls = tlsSpecOf(f.tls, https, f.generator);
  if (h2 !== undefined) extras.h2 = h2;
  if (h2 !== undefined && tls?.earlyData === true)
    throw new BadInputError("--tls-early-data with --h2: the generator sends early data over HTTP/1.1 only");
  if (tls !== undefined) extras.tls = h2 !== undefined ? { ...tls, alpn: "h2" } : tls;
  if (body !== undefined) {
    need(f.generator, "body", f.bodyFile !== undefined ? "--body-file" : "--body");
    extras.body = body;
  }
  if (f.requests !== undefined) {
    need(f.generator, "requests", "-n/--requests");
    extras.requests = f.requests;
  }
  if (f.connectTimeoutS !== undefined) {
    need(f.generator, "connectTimeout", "--connect-timeout");
    extras.connectTimeoutMs = Math.round(f.connectTimeoutS * 1000);
  }
  return {
    host,
    port,
    connections: f.connections,
    threads: f.threads,
    pipeline: f.pipeline,
    rate: f.rate ?? null,
    keepAlive: f.keepAlive,
    fastOpen: f.fastOpen,
    method: f.method,
    path,
    headers: parseHeaders(f.headers),
    bodyBytes,
    echo: false,
    warmupS: f.requests !== undefined ? 0 : f.warmupS,
    durationS: f.durationS,
    timeoutMs: Math.max(1, Math.round(f.timeoutS * 1000)),
    cpus: f.cpus,
    ...extras,
  };
}
