// Profiles over a run's measurement window (bench --profile): `profile-start <prefix>` when the
// window opens and `profile-stop` when it closes, over the target's control channel, so the
// profile covers exactly what every other metric covers. Only runtimes whose targets implement
// the two commands are asked (the others would not answer, and the channel pairs answers with
// questions in order).
import { basename, join, relative } from "node:path";

import { ProfileGcSummary, type RunProfile } from "../model/index.js";
import { makeDirs } from "../io/make-dirs.js";
import type { RunningTarget } from "../targets/process.js";
import { writeFlames } from "./load.js";

/** Runtimes whose targets all answer profile-start/profile-stop (docs/architecture.md); the
 *  "native" runtime is both `native` (answers unsupported) and native-standalone (ignores them). */
const ANSWERING = new Set(["go", "node"]);
/** Writing the heap profile after a GC may take a while on a large heap. */
const STOP_TIMEOUT_MS = 20_000;
const START_TIMEOUT_MS = 5_000;

type Answer = Record<string, unknown>;

function parseAnswer(line: string): Answer {
  try {
    const v = JSON.parse(line) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Answer;
  } catch {
    // fall through: reported as what it is
  }
  return { error: `not a JSON object: ${line.slice(0, 200)}` };
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

export class WindowProfiler {
  private started: Promise<Answer> | null = null;
  private stopped: Promise<Answer> | null = null;
  /** Set when a profile command went unanswered: every later answer on the channel is then
   *  suspect (answers pair with questions in order), so the run cannot be trusted. */
  unanswered: string | null = null;

  /** prefix: the absolute path prefix of this run's files; resultDir: what recorded paths are relative to. */
  constructor(
    private readonly target: RunningTarget,
    private readonly runtime: string,
    private readonly prefix: string,
    private readonly resultDir: string,
  ) {}

  get asks(): boolean {
    return ANSWERING.has(this.runtime);
  }

  open(): void {
    if (!this.asks) return;
    this.started = this.target.ask(`profile-start ${this.prefix}`, START_TIMEOUT_MS).then(parseAnswer);
    this.started.catch(() => {});
  }

  close(): void {
    if (!this.started) return;
    this.stopped = this.target.ask("profile-stop", STOP_TIMEOUT_MS).then(parseAnswer);
    this.stopped.catch(() => {});
  }

  /** Both answers, or why the channel can no longer be trusted (checked in the order asked). */
  private async answers(): Promise<{ start: Answer; stop: Answer } | { unanswered: string }> {
    const [start, stop] = await Promise.allSettled([this.started!, this.stopped!]);
    if (start.status === "rejected") return { unanswered: (start.reason as Error).message };
    // Another question's answer (e.g. stats): the target ignored profile-start.
    if (!["started", "unsupported", "error"].some((k) => k in start.value))
      return { unanswered: `${this.target.name} answered profile-start with another question's answer` };
    if (stop.status === "rejected") return { unanswered: (stop.reason as Error).message };
    return { start: start.value, stop: stop.value };
  }

  /** What was taken, for the run; a profile that could not be taken says why. */
  async record(): Promise<RunProfile> {
    const none = (missing: string): RunProfile => ({ format: null, cpu: null, heap: null, gc: null, gcSummary: null, missing });
    if (!this.asks)
      return none(
        `${this.target.name} (runtime ${this.runtime}) takes no profiles over the control channel${this.runtime === "native" ? ": its loops run in C++ threads; use perf record" : ""}`,
      );
    if (!this.started || !this.stopped) return none("the window never opened");
    const answers = await this.answers();
    if ("unanswered" in answers) {
      this.unanswered = `profile: ${answers.unanswered}; a target built before profile-start existed ignores it (npm run build:targets)`;
      return none(this.unanswered);
    }
    const { start, stop } = answers;
    const why = str(start.unsupported) ?? str(start.error) ?? str(stop.unsupported) ?? str(stop.error);
    if (why) return none(why);
    const rel = (p: unknown) => (str(p) ? relative(this.resultDir, str(p)!) : null);
    const gc = ProfileGcSummary.safeParse(stop.gcSummary);
    const gcSummary = gc.success ? gc.data : null;
    const cpu = rel(stop.cpu);
    const taken: RunProfile = {
      format: cpu?.endsWith(".cpuprofile") ? "v8" : "pprof",
      cpu,
      heap: rel(stop.heap),
      heapBase: rel(stop.heapBase),
      gc: rel(stop.gc),
      gcSummary,
      missing: null,
    };
    // The flame graphs are drawn now, so the report only links them; one that cannot be drawn
    // shows as a profile the report cannot read.
    writeFlames(this.resultDir, taken, basename(this.prefix));
    return taken;
  }
}

/** The noisy-kind reason a profiled run carries: its numbers were taken with the profiler on. */
export const PROFILED_REASON = {
  kind: "noisy" as const,
  code: "profiled",
  message: "profiled: the CPU profiler sampled the target over the window, so its numbers include the profiler's cost",
};

/** Where a bench's profiles go: `dir` (`<result-stem>.profiles`) and the result file's folder. */
export interface ProfilePlace {
  dir: string;
  resultDir: string;
}

/** `<target>-<variant>-rep<N>`, safe as a file name. */
export function runStem(target: string, variant: string, rep: number): string {
  return `${target}-${variant}-rep${rep}`.replace(/[^A-Za-z0-9._-]/g, "_");
}

/** A profiler for one run: the target's runtime (from its counters) says whether to ask it. */
export async function profilerFor(target: RunningTarget, place: ProfilePlace, stem: string): Promise<WindowProfiler> {
  const { runtime } = await target.stats();
  makeDirs(place.dir);
  return new WindowProfiler(target, runtime, join(place.dir, stem), place.resultDir);
}
