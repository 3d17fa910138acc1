// The one range table for every duration and count a run takes, read by the flags
// (src/commands/*.ts) and the scenario schema (src/model/scenario.ts) alike, so a value refused
// on the command line is refused in a file too, at parse time, before anything runs.
export interface Range {
  readonly min: number;
  readonly max: number;
  /** Why the bound is where it is, said with the refusal. */
  readonly why?: string;
}

/** The longest run: a day. autocannon's timers stop at 2^31 ms (24.8 days) and wrap to ~1 ms, and
 * a longer run is a soak test, not a benchmark. */
const DAY_S = 86_400;

export const RANGES = {
  durationS: { min: 0.1, max: DAY_S, why: "a day at most: longer is a soak test, and autocannon's timers stop at 2^31 ms (24.8 days)" },
  warmupS: { min: 0, max: 3600, why: "an hour at most: a warm-up longer than that measures nothing the run does not" },
  repetitions: { min: 1, max: 1000 },
  connections: { min: 1, max: 1_000_000 },
  /** Client or server threads: one per CPU is the sense of it; 1024 leaves room for big machines. */
  threads: { min: 1, max: 1024 },
  pipeline: { min: 1, max: 1024 },
  /** Concurrent HTTP/2 streams per connection (h2load's -m); nghttp2 servers default to 100. */
  streams: { min: 1, max: 1024 },
  rateRps: { min: 0.001, max: 1e9 },
  timeoutS: { min: 0.001, max: 600 },
  /** A request body, pattern or literal: the native generator's limit. */
  bodyBytes: { min: 0, max: 64 * 1024 * 1024 },
} as const satisfies Record<string, Range>;

/** For int()/num() flag declarations. */
export function bounds(r: Range): { min: number; max: number } {
  return { min: r.min, max: r.max };
}

/** For duration() flag declarations (seconds). */
export function boundsS(r: Range): { minS: number; maxS: number } {
  return { minS: r.min, maxS: r.max };
}
