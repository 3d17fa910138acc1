// The names the harness's parts agree on, each list once: the scenario and result schemas, the
// command options, the generators' registry and the load summary all derive from these.

/** The load generators (src/load/registry.ts has one implementation per name). */
export const GENERATOR_NAMES = ["native", "autocannon", "wrk"] as const;
export type GeneratorName = (typeof GENERATOR_NAMES)[number];

/** How a request fails, counted by kind (wrk's way: counted, never fatal to a run). */
export const ERROR_KINDS = ["connect", "reset", "timeout", "badResponse", "status"] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

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

/** A ratio goal's verdict: pass or fail; undecided when `--reps auto` ran out of budget with the
 *  goal inside its interval; no-goal (a ratio reported without a goal); no-data. */
export const RATIO_VERDICTS = ["pass", "fail", "undecided", "no-goal", "no-data"] as const;
export type RatioVerdict = (typeof RATIO_VERDICTS)[number];

/** Why `--reps auto` stopped (src/run/stopping.ts): every goal decided (and every interval
 *  precise), no goal and every interval precise, the budget spent, or the run interrupted. */
export const STOP_REASONS = ["decided", "precise", "budget", "interrupted"] as const;
export type StopReason = (typeof STOP_REASONS)[number];
