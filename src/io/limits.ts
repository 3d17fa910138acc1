// How large each kind of file the harness reads may be. A file is refused past its limit while it
// is read (src/io/bounded-read.ts), so a huge or endless input never lands in memory.
const MiB = 1024 * 1024;

export const READ_LIMITS = {
  /** `load --body-file`: the request body, sent whole with every request. */
  body: 64 * MiB,
  /** A scenario file: a few KiB of settings; 4 MiB leaves room for long claim tables. */
  scenario: 4 * MiB,
  /** A result file: the largest published one is ~1.3 MiB (a knee sweep with its histograms). */
  result: 256 * MiB,
  /** An HdrHistogram interval log (`load --histogram-log`): a day at one interval a second fits. */
  hlog: 256 * MiB,
  /** A recorded profile (pprof or V8 .cpuprofile). */
  profile: 256 * MiB,
  /** The native client's request spec and body on its stdin (src/load/spec-pipe.ts). */
  clientSpec: 64 * MiB + 4 * MiB,
} as const;

export type ReadKind = keyof typeof READ_LIMITS;
