// The names the harness's parts agree on, each list once: the scenario and result schemas, the
// command options, the generators' registry and the load summary all derive from these.

/** The load generators (src/load/registry.ts has one implementation per name). */
export const GENERATOR_NAMES = ["native", "autocannon", "wrk"] as const;
export type GeneratorName = (typeof GENERATOR_NAMES)[number];

/** How a request fails, counted by kind (wrk's way: counted, never fatal to a run). `tls`: a TLS
 *  handshake failed (no TLS at the server, a certificate that does not verify, an alert) or the
 *  TLS layer broke mid-stream; `goaway`: HTTP/2 streams refused by the server's GOAWAY;
 *  `rstStream`: HTTP/2 streams the server reset. Results written before these kinds have no such
 *  fields (read as 0: NEWER_ERROR_KINDS). */
export const ERROR_KINDS = ["connect", "reset", "timeout", "badResponse", "status", "tls", "goaway", "rstStream"] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];
/** The kinds added after results were first written: optional when read, 0 when absent. */
export const NEWER_ERROR_KINDS: readonly ErrorKind[] = ["tls", "goaway", "rstStream"];

/** The native generator's and the native server's I/O backends. */
export const NATIVE_BACKENDS = ["epoll", "io_uring"] as const;
export type NativeBackend = (typeof NATIVE_BACKENDS)[number];

/** When an open loop's requests are sent: evenly spaced, or with exponential gaps per connection
 *  (a Poisson process: the native generator's --arrival). */
export const ARRIVALS = ["constant", "poisson"] as const;
export type Arrival = (typeof ARRIVALS)[number];

/** What a target speaks: HTTP/1.1, or raw TCP echo. */
export const MODES = ["http", "echo"] as const;
export type Mode = (typeof MODES)[number];

/** The wire protocols a target may speak in HTTP mode (docs/architecture.md "Target process"):
 *  plain HTTP/1.1, HTTP/1.1 over TLS, HTTP/2 over TLS (ALPN "h2"), HTTP/2 cleartext with prior
 *  knowledge. A target's registry entry lists the ones it speaks; every target speaks h1. */
export const PROTOCOLS = ["h1", "h1-tls", "h2-tls", "h2c"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** The protocol a load speaks, from its `tls` and `h2` fields (src/model/scenario.ts): the one
 *  mapping, so the target is started and verified over what the generator will send. */
export function protocolOfLoad(l: { tls: boolean; h2: boolean }): Protocol {
  if (l.h2) return l.tls ? "h2-tls" : "h2c";
  return l.tls ? "h1-tls" : "h1";
}

/** Whether the protocol runs over TLS (a certificate is needed). */
export function isTls(protocol: Protocol): boolean {
  return protocol === "h1-tls" || protocol === "h2-tls";
}

/** Whether the protocol is HTTP/2 (over TLS or cleartext). */
export function isH2(protocol: Protocol): boolean {
  return protocol === "h2-tls" || protocol === "h2c";
}

/** The protocols each generator's adapter (src/load/) sends in a scenario. A scenario asking
 *  another is refused before its run starts, never run as plain HTTP/1.1. wrk speaks TLS but never
 *  checks the certificate, so a scenario (which always checks) does not give it https. */
export const GENERATOR_PROTOCOLS: Readonly<Record<GeneratorName, readonly Protocol[]>> = {
  native: ["h1", "h1-tls", "h2-tls", "h2c"],
  autocannon: ["h1"],
  wrk: ["h1"],
};

/** The key of the run-time certificates (src/tls/certs.ts): handshake cost depends on it. */
export const TLS_KEY_TYPES = ["ec-p256", "rsa-2048"] as const;
export type TlsKeyType = (typeof TLS_KEY_TYPES)[number];

/** Where the target and the clients run. */
export const TOPOLOGIES = ["local", "netns", "ssh"] as const;
export type TopologyKind = (typeof TOPOLOGIES)[number];

/** Where latency is timed from: the actual write, or the intended send time (coordinated
 *  omission corrected, the native generator's open loop). */
export const LATENCY_FROM = ["send", "intended-send"] as const;

/** A verdict, from best to worst: the worst of its reasons' kinds wins. */
export const VERDICTS = ["valid", "noisy", "clientBound", "invalid"] as const;
export type VerdictName = (typeof VERDICTS)[number];
/** The kinds a reason may have (every verdict but valid). */
export const VERDICT_KINDS = ["noisy", "clientBound", "invalid"] as const;

/** A ratio goal's verdict: pass or fail; undecided when `--reps auto` ran out of budget with the
 *  goal inside its interval; no-goal (a ratio reported without a goal); no-data. */
export const RATIO_VERDICTS = ["pass", "fail", "undecided", "no-goal", "no-data"] as const;
export type RatioVerdict = (typeof RATIO_VERDICTS)[number];

/** Why `--reps auto` stopped (src/run/stopping.ts): every goal decided (and every interval
 *  precise), no goal and every interval precise, the budget spent, or the run interrupted. */
export const STOP_REASONS = ["decided", "precise", "budget", "interrupted"] as const;
export type StopReason = (typeof STOP_REASONS)[number];
