// The machine-speed baseline, one file per machine beside its results
// (results/<hardware-id>/machine-speed.baseline): per CPU, the fastest probe seen so far, field by
// field. The fastest, not a mean: a machine is never faster than it can be, so a slow phase only
// ever raises a probe's time, and the baseline is what this hardware does when nothing slows it.
// It learns from every window after judging it (a faster probe lowers it).
// A baseline belongs to one boot of one machine: instances of the same hardware id (a cloud VM
// type) are not the same machine. Measured: this 2-core kind's instances differ by ~20 % in the
// probe's work loop and 2-3x in its loopback round trip, so a baseline committed from one flagged
// every quiet window of another as slow. Another boot starts a baseline of its own.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import type { SpeedRecord, SpeedSample } from "../model/index.js";

/** JSON, but not named *.json: the results' readers take every *.json beside it for a result. */
const FILE = "machine-speed.baseline";
const SCHEMA = "evbench-speed-baseline/1";

interface BaselineEntry {
  loopWallUs: number;
  loopCpuUs: number;
  roundTripUs: number;
  /** Probes this entry has learnt from. */
  probes: number;
}

interface BaselineFile {
  schema: typeof SCHEMA;
  /** The boot it was learnt on (/proc/sys/kernel/random/boot_id; absent in older files). */
  boot?: string;
  cpus: Record<string, BaselineEntry>;
}

/** This boot's id ("" where the kernel gives none: then every file is this boot's). */
function bootId(): string {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return "";
  }
}

const keyOf = (cpu: number | null) => (cpu === null ? "any" : String(cpu));

export class SpeedBaseline {
  readonly path: string;

  /** `dir`: results/<hardware-id>. */
  constructor(dir: string) {
    this.path = join(dir, FILE);
  }

  /** The baseline of this boot; a fresh one when the file is another boot's, absent or unreadable. */
  read(): BaselineFile {
    const boot = bootId();
    const fresh: BaselineFile = { schema: SCHEMA, boot, cpus: {} };
    if (!existsSync(this.path)) return fresh;
    try {
      const f = JSON.parse(readFileSync(this.path, "utf8")) as BaselineFile;
      const ours = f.schema === SCHEMA && typeof f.cpus === "object" && (f.boot ?? "") === boot;
      return ours ? f : fresh;
    } catch {
      return fresh; // an unreadable baseline starts again; it only ever learns
    }
  }

  /** Judges the samples against the baseline as it was, then lowers it to what they reached. */
  judge(samples: SpeedSample[]): SpeedRecord {
    const file = this.read();
    let worst: SpeedRecord["worst"] = null;
    let baselineFrom = Number.POSITIVE_INFINITY;
    for (const s of samples) {
      const b = file.cpus[keyOf(s.cpu)];
      if (!b) continue;
      baselineFrom = Math.min(baselineFrom, b.probes);
      const wall = s.loopWallUs / b.loopWallUs;
      const roundTrip = s.roundTripUs / b.roundTripUs;
      // The loop's wall time is what is judged (the round trip is recorded beside it:
      // src/verdict/thresholds.ts says why).
      const slowdown = wall;
      if (worst === null || slowdown > worst.slowdown) {
        worst = {
          edge: s.edge,
          cpu: s.cpu,
          slowdown,
          work: s.loopCpuUs / b.loopCpuUs,
          shared: s.loopWallUs / s.loopCpuUs / (b.loopWallUs / b.loopCpuUs),
          roundTrip,
        };
      }
    }
    this.learn(file, samples);
    return {
      samples,
      slowdown: worst?.slowdown ?? null,
      worst,
      baselineFrom: Number.isFinite(baselineFrom) ? baselineFrom : 0,
      failure: null,
    };
  }

  private learn(file: BaselineFile, samples: SpeedSample[]): void {
    for (const s of samples) {
      const k = keyOf(s.cpu);
      const b = file.cpus[k];
      file.cpus[k] = b
        ? {
            loopWallUs: Math.min(b.loopWallUs, s.loopWallUs),
            loopCpuUs: Math.min(b.loopCpuUs, s.loopCpuUs),
            roundTripUs: Math.min(b.roundTripUs, s.roundTripUs),
            probes: b.probes + 1,
          }
        : { loopWallUs: s.loopWallUs, loopCpuUs: s.loopCpuUs, roundTripUs: s.roundTripUs, probes: 1 };
    }
    mkdirSync(join(this.path, ".."), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`);
    renameSync(tmp, this.path); // whole or not at all: two runners never leave half a file
  }
}
