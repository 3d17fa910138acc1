// The scenario file: what to run, how hard, how long, and (optionally) what the handbook claims.
// Parsed once from unknown JSON into a typed Scenario; nothing after this re-validates.
import { z } from "zod";

import { ARRIVALS, GENERATOR_NAMES, MODES, NATIVE_BACKENDS, TLS_KEY_TYPES } from "./enums.js";
import { RATIO_GOAL_METRIC_KEYS } from "./metrics.js";
import { SweepSection } from "./sweep.js";
import { HostsSection, LinkOverride, LinkSection } from "./topology.js";
import { checkUserEntry, USER_TARGET_FIELDS } from "./user-target.js";
import { RANGES, type Range } from "./ranges.js";
import { parseBudget, parsePrecision, textField } from "./reps.js";
import { ScalingSection } from "./scaling.js";

const posInt = z.number().int().positive();
/** A number within one of the range table's entries (src/model/ranges.ts), saying the bound and why. */
function inRange(r: Range, unit = "", int = true) {
  const why = r.why ? ` (${r.why})` : "";
  const n = int ? z.number().int() : z.number();
  return n.min(r.min, `at least ${r.min}${unit}`).max(r.max, `at most ${r.max}${unit}${why}`);
}
/** An environment entry: a name without "=" (it would end the name) or NUL (it would end the entry). */
const envValue = z.string().regex(/^[^\0]*$/, "an environment value without NUL (it would cut the value short)");
const envRecord = z.record(z.string(), envValue).superRefine((env, ctx) => {
  for (const name of Object.keys(env)) {
    if (!/^[^=\0]+$/.test(name))
      ctx.addIssue({ code: "custom", path: [name], message: 'an environment variable name: not empty, without "=" or NUL' });
  }
});
const cpuList = z.array(z.number().int().nonnegative()).min(1);

// The load's fields, without defaults, so that a variant can override some of them.
const loadFields = {
  generator: z.enum(GENERATOR_NAMES),
  connections: inRange(RANGES.connections),
  /** Client threads (native, wrk); autocannon is single-threaded. */
  threads: inRange(RANGES.threads),
  /** Requests in flight per connection. */
  pipeline: inRange(RANGES.pipeline),
  /** Constant total request rate (open loop, coordinated-omission corrected); null = closed loop. */
  rate: inRange(RANGES.rateRps, " req/s", false).nullable(),
  keepAlive: z.boolean(),
  fastOpen: z.boolean(),
  method: z.string().regex(/^[A-Z]+$/, "an upper-case HTTP method such as GET or POST"),
  path: z.string().startsWith("/"),
  headers: z.record(z.string(), z.string()),
  bodyBytes: inRange(RANGES.bodyBytes, " bytes"),
  timeoutMs: inRange({ min: RANGES.timeoutS.min * 1000, max: RANGES.timeoutS.max * 1000 }, " ms"),
  /** The native generator's I/O backend (issue 17); other generators have only their own (epoll). */
  backend: z.enum(NATIVE_BACKENDS),
  /** io_uring with a kernel submission-polling thread (burns a core); only with backend io_uring. */
  sqpoll: z.boolean(),
  /** HTTPS (issue 24): the target is started with the run's certificate and the load speaks TLS. */
  tls: z.boolean(),
  /** HTTP/2: over TLS (ALPN h2) with `tls`, else h2c with prior knowledge. */
  h2: z.boolean(),
  /** Concurrent HTTP/2 streams per connection; above 1 only with h2. */
  streams: inRange(RANGES.streams),
  /** With tls: the generator offers its last session ticket on each new connection (resumed
   *  handshakes instead of full ones; the native generator's --tls-resume). */
  tlsResume: z.boolean(),
  /** With tlsResume: a resumed connection's first requests go as TLS 1.3 early data where the
   *  ticket allows it (the native generator's --tls-early-data; the server must allow it too). */
  tlsEarlyData: z.boolean(),
  /** With a rate: evenly spaced requests, or Poisson arrivals (exponential gaps per connection;
   *  the native generator's --arrival). */
  arrival: z.enum(ARRIVALS),
};

export const LOAD_DEFAULTS = {
  generator: "native",
  connections: 16,
  threads: 1,
  pipeline: 1,
  rate: null,
  keepAlive: true,
  fastOpen: false,
  method: "GET",
  path: "/plaintext",
  headers: {},
  bodyBytes: 0,
  timeoutMs: 5000,
  backend: "epoll",
  sqpoll: false,
  tls: false,
  h2: false,
  streams: 1,
  tlsResume: false,
  tlsEarlyData: false,
  arrival: "constant",
} as const;

/** The certificate of TLS runs when the scenario names none: made per run with an EC P-256 key. */
export const CERTIFICATE_DEFAULT = { keyType: "ec-p256" } as const;

/** Fields a variant may change for its own runs (e.g. the generator or the pipelining depth). */
export const LoadOverride = z.strictObject(loadFields).partial();
export const LoadSection = LoadOverride.transform((o) => ({ ...LOAD_DEFAULTS, ...o }) as z.infer<z.ZodObject<typeof loadFields>>);
export type LoadSection = z.output<typeof LoadSection>;

export const Variant = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, "a name of letters, digits, '.', '_' or '-'"),
  /** Extra environment for the target process (GOGC, GOMAXPROCS, GOMEMLIMIT, GODEBUG...). */
  env: envRecord.default({}),
  /** Extra command-line arguments for the target (e.g. ["--body", "copy"]). */
  args: z.array(z.string()).default([]),
  /** Load settings for this variant's runs, over the scenario's (generator, pipeline, rate...). */
  load: LoadOverride.optional(),
  /** Clients beside the load during this variant's runs (handbook T1 and section 2.2). */
  background: z
    .strictObject({
      /** Connections that send a request head one line every intervalMs and never finish it. */
      slowloris: z.strictObject({ connections: posInt.max(5000), intervalMs: posInt.default(1000) }).optional(),
      /** Connections that POST bodyBytes to /echo back to back for onS seconds, then rest offS seconds. */
      bursts: z
        .strictObject({ connections: posInt.max(256), bodyBytes: posInt, onS: z.number().positive(), offS: z.number().positive() })
        .optional(),
    })
    .optional(),
  /** Changes to the scenario's link for this variant's runs (e.g. its loss). */
  link: LinkOverride.optional(),
  /** false: this variant's runs go without the eBPF kernel probes, to measure their cost side by side. */
  kernelProbes: z.boolean().optional(),
});
export type Variant = z.infer<typeof Variant>;

/** A target is a registered name, or an object with per-target threads and variants; with
 * command, go or url it is the user's own server (src/model/user-target.ts). A bare name is
 * widened to the object first, so errors inside objects keep their exact JSON paths. */
export const TargetEntry = z.preprocess(
  (v) => (typeof v === "string" ? { name: v } : v),
  z
    .strictObject({
      name: z.string().min(1),
      /** Server threads for this target; defaults to the scenario's serverThreads. */
      threads: inRange(RANGES.threads).optional(),
      variants: z.array(Variant).min(1).optional(),
      ...USER_TARGET_FIELDS,
    })
    .superRefine(checkUserEntry),
);

export const ClaimRow = z.strictObject({
  rps: z.number().positive().optional(),
  rssBytes: z.number().positive().optional(),
  gcPerSec: z.number().nonnegative().optional(),
  allocBytesPerReq: z.number().nonnegative().optional(),
  latencyMeanMs: z.number().positive().optional(),
  note: z.string().optional(),
});
export type ClaimRow = z.infer<typeof ClaimRow>;

export const Claims = z.strictObject({
  /** Where the numbers come from, e.g. "handbook section 4.3 (docs/handbook.md T7)". */
  source: z.string(),
  /** The condition as the source writes it. */
  condition: z.string(),
  /** The row that ratios are taken against (e.g. "nethttp"). */
  reference: z.string().optional(),
  /** Claimed numbers per registered target name. */
  rows: z.record(z.string(), ClaimRow),
});
export type Claims = z.infer<typeof Claims>;

/** A speed target stated as a ratio between two rows measured in the same run. */
export const RatioGoal = z.strictObject({
  /** "target/variant" (or "target" for its default variant). */
  of: z.string().min(1),
  to: z.string().min(1),
  /** A metric of the registry (src/model/metrics.ts) that may carry a ratio goal. */
  metric: z.enum(RATIO_GOAL_METRIC_KEYS),
  /** The goal: the median of the per-repetition ratios must be at least this (or at most, for atMost). */
  atLeast: z.number().positive().optional(),
  atMost: z.number().positive().optional(),
  why: z.string().optional(),
});
export type RatioGoal = z.infer<typeof RatioGoal>;

export const ScenarioFile = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and '-'"),
    description: z.string().default(""),
    mode: z.enum(MODES).default("http"),
    targets: z.array(TargetEntry).min(1),
    /** Server threads for every target unless a target says otherwise; default: one per server CPU. */
    serverThreads: inRange(RANGES.threads).optional(),
    load: LoadSection.default({ ...LOAD_DEFAULTS, headers: {} }),
    warmupS: inRange(RANGES.warmupS, " s", false).default(1),
    durationS: inRange(RANGES.durationS, " s", false).default(5),
    /** A count, or "auto": repeat until the answer is known (src/model/reps.ts, src/run/stopping.ts). */
    repetitions: z.union([inRange(RANGES.repetitions), z.literal("auto")]).default(1),
    /** With "auto": the relative interval half-width asked ("3%"; default 5 %). */
    precision: textField(parsePrecision).optional(),
    /** With "auto": at most so many seconds or repetitions ("10m", "20reps"; default 20 reps). */
    budget: textField(parseBudget).optional(),
    /** CPU pinning with taskset; null = not pinned. */
    cpus: z.strictObject({ server: cpuList, client: cpuList }).nullable().default(null),
    /** How to split CPUs on machines larger than two cores, in words (printed by `list`). */
    cpuNote: z.string().optional(),
    claims: Claims.optional(),
    /** Ratios between rows to report (and goals to check), each taken per repetition, then the median. */
    ratios: z.array(RatioGoal).default([]),
    /** Where the target and the clients run, and the link between them. */
    hosts: HostsSection.default({ topology: "local", sysctls: {} }),
    link: LinkSection.nullable().default(null),
    /** A capacity sweep (npm run sweep -- <scenario>): SLOs, connection counts, search settings. */
    sweep: SweepSection.optional(),
    /** Connection levels (issue 22): every target ramped to each count in turn (src/scaling/). */
    scaling: ScalingSection.optional(),
    /** The machine-speed probe at every window's edges (src/probe/speed.ts); false: not probed. */
    speedProbe: z.boolean().default(true),
    /** The certificate of TLS runs: made per run with this key (src/tls/certs.ts), or the user's own
     *  PEM files (cert and key together; relative to the scenario file). */
    certificate: z
      .strictObject({
        keyType: z.enum(TLS_KEY_TYPES).default(CERTIFICATE_DEFAULT.keyType),
        cert: z.string().min(1).optional(),
        key: z.string().min(1).optional(),
      })
      .refine((c) => (c.cert === undefined) === (c.key === undefined), "cert and key go together: name both PEM files, or neither")
      .default(CERTIFICATE_DEFAULT),
  })
  .superRefine((s, ctx) => {
    if (s.repetitions === "auto") return;
    for (const k of ["precision", "budget"] as const)
      if (s[k] !== undefined) ctx.addIssue({ code: "custom", path: [k], message: `${k} applies to "repetitions": "auto" only` });
  });
export type ScenarioFile = z.infer<typeof ScenarioFile>;
