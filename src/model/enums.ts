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

/** What a target speaks: HTTP/1.1, or raw TCP echo. */
export const MODES = ["http", "echo"] as const;
export type Mode = (typeof MODES)[number];

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
