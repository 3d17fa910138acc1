// The scenario file: what to run, how hard, how long, and (optionally) what the handbook claims.
// Parsed once from unknown JSON into a typed Scenario; nothing after this re-validates.
import { z } from "zod";

const posInt = z.number().int().positive();
const cpuList = z.array(z.number().int().nonnegative()).min(1);

export const Variant = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, "a name of letters, digits, '.', '_' or '-'"),
  /** Extra environment for the target process (GOGC, GOMAXPROCS, GOMEMLIMIT, GODEBUG...). */
  env: z.record(z.string(), z.string()).default({}),
  /** Extra command-line arguments for the target (e.g. ["--body", "copy"]). */
  args: z.array(z.string()).default([]),
});
export type Variant = z.infer<typeof Variant>;

/** A target is a name, or an object with per-target threads and variants. A bare name is
 * widened to the object first, so errors inside objects keep their exact JSON paths. */
export const TargetEntry = z.preprocess(
  (v) => (typeof v === "string" ? { name: v } : v),
  z.strictObject({
    name: z.string().min(1),
    /** Server threads for this target; defaults to the scenario's serverThreads. */
    threads: posInt.optional(),
    variants: z.array(Variant).min(1).optional(),
  }),
);

export const LoadSection = z.strictObject({
  generator: z.enum(["native", "autocannon", "wrk"]).default("native"),
  connections: posInt.default(16),
  /** Client threads (native, wrk); autocannon is single-threaded. */
  threads: posInt.default(1),
  /** Requests in flight per connection. */
  pipeline: posInt.default(1),
  /** Constant total request rate (open loop, coordinated-omission corrected); null = closed loop. */
  rate: z.number().positive().nullable().default(null),
  keepAlive: z.boolean().default(true),
  fastOpen: z.boolean().default(false),
  method: z.string().regex(/^[A-Z]+$/, "an upper-case HTTP method such as GET or POST").default("GET"),
  path: z.string().startsWith("/").default("/plaintext"),
  headers: z.record(z.string(), z.string()).default({}),
  bodyBytes: z.number().int().nonnegative().default(0),
  timeoutMs: posInt.default(5000),
});

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
  /** Where the numbers come from, e.g. "handbook section 4.3 (CLAIMS.md T7)". */
  source: z.string(),
  /** The condition as the source writes it. */
  condition: z.string(),
  /** The row that ratios are taken against (e.g. "nethttp"). */
  reference: z.string().optional(),
  /** Claimed numbers per registered target name. */
  rows: z.record(z.string(), ClaimRow),
});
export type Claims = z.infer<typeof Claims>;

export const ScenarioFile = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and '-'"),
  description: z.string().default(""),
  mode: z.enum(["http", "echo"]).default("http"),
  targets: z.array(TargetEntry).min(1),
  /** Server threads for every target unless a target says otherwise; default: one per server CPU. */
  serverThreads: posInt.optional(),
  load: LoadSection.default(LoadSection.parse({})),
  warmupS: z.number().nonnegative().default(1),
  durationS: z.number().positive().default(5),
  repetitions: posInt.default(1),
  /** CPU pinning with taskset; null = not pinned. */
  cpus: z
    .strictObject({ server: cpuList, client: cpuList })
    .nullable()
    .default(null),
  /** How to split CPUs on machines larger than two cores, in words (printed by `list`). */
  cpuNote: z.string().optional(),
  claims: Claims.optional(),
});
export type ScenarioFile = z.infer<typeof ScenarioFile>;
