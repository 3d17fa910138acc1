// The runner: repetitions x targets x variants, targets alternating inside each repetition so
// that drift on the machine spreads over all of them. The result file is rewritten after every
// run, so an interruption or a crash later loses nothing.
import { join } from "node:path";

import { nativeBackendUnavailable } from "../load/backend.js";
import type { GeneratorName, LoadGenerator } from "../load/types.js";
import { fingerprint, gitState } from "../results/env.js";
import { RESULT_SCHEMA, type ResultFile, type Run } from "../results/schema.js";
import { ResultWriter, utcStamp } from "../results/writer.js";
import type { Scenario } from "../scenario/load.js";
import type { LoadSection } from "../scenario/schema.js";
import { findTarget } from "../targets/registry.js";
import { DEFINITIONS } from "./definitions.js";
import { failedRun, measureOne, skippedRun, type LiveLine } from "./measure-one.js";
import { evaluateRatios } from "./ratios.js";
import { summarizeRuns } from "./summary.js";

export interface RunnerOptions {
  scenario: Scenario;
  generators: Record<GeneratorName, LoadGenerator>;
  host: string;
  resultsDir: string;
  /** Explicit output file (--out); otherwise results/<hardware-id>/<stamp>-<scenario>.json. */
  outPath: string | null;
  command: string;
  repoRoot: string;
  signal?: AbortSignal;
  onLive?: (l: LiveLine) => void;
  onRunDone?: (r: Run) => void;
  onStart?: (file: string | null, hardwareId: string) => void;
}

export interface RunnerOutcome {
  file: string;
  result: ResultFile;
  failedRuns: number;
  interrupted: boolean;
}

/** Why a variant's generator (or the native generator's I/O backend) cannot run here, or null. */
function generatorProblem(l: LoadSection, genReasons: Map<GeneratorName, string | null>): string | null {
  const why = genReasons.get(l.generator);
  if (why) return `generator ${l.generator} unavailable: ${why}`;
  const backendWhy = l.generator === "native" ? nativeBackendUnavailable(l.backend, l.sqpoll) : null;
  return backendWhy ? `generator native, backend ${l.backend}${l.sqpoll ? " with SQPOLL" : ""} unavailable: ${backendWhy}` : null;
}

export async function runScenario(o: RunnerOptions): Promise<RunnerOutcome> {
  const s = o.scenario;
  const env = fingerprint();
  const writer = new ResultWriter(join(o.resultsDir, env.hardwareId), `${utcStamp()}-${s.name}`, o.outPath);
  const runs: Run[] = [];
  const targetVersions: Record<string, Record<string, string>> = {};
  // The commit and dirty flag of the code that runs, read once before it runs: edits made
  // while a long scenario is under way must not relabel what was measured.
  const git = gitState(o.repoRoot);
  const genReasons = new Map<GeneratorName, string | null>();
  for (const t of s.targets) {
    for (const v of t.variants) {
      const g = v.load.generator;
      if (!genReasons.has(g)) genReasons.set(g, await o.generators[g].unavailableReason());
    }
  }

  const snapshot = (complete: boolean): ResultFile => {
    const base: ResultFile = {
    schema: RESULT_SCHEMA,
    createdAt: new Date().toISOString(),
    command: o.command,
    scenario: { ...s, file: s.file },
    env: { ...env, targets: targetVersions },
    git,
    definitions: DEFINITIONS,
    runs,
    summary: summarizeRuns(runs),
    ratios: [],
    completeness: complete ? "complete" : "partial",
    };
    base.ratios = evaluateRatios(base, s.ratios).map((x) => ({
      of: x.goal.of,
      to: x.goal.to,
      metric: x.goal.metric,
      atLeast: x.goal.atLeast ?? null,
      atMost: x.goal.atMost ?? null,
      why: x.goal.why ?? null,
      ratio: x.ratio,
      perRep: x.perRep,
      verdict: x.verdict,
      clientBound: x.clientBound,
    }));
    return base;
  };

  o.onStart?.(null, env.hardwareId);
  let interrupted = false;
  outer: for (let rep = 0; rep < s.repetitions; rep++) {
    for (const t of s.targets) {
      for (const variant of t.variants) {
        if (o.signal?.aborted) {
          interrupted = true;
          break outer;
        }
        const base = { scenario: s, target: t, variant, rep };
        const def = findTarget(t.name);
        let run: Run;
        if (!def) {
          run = failedRun(base, `no target named ${t.name} is registered (npm run list shows them)`);
        } else if (!def.modes.includes(s.mode)) {
          run = skippedRun(base, `${t.name} has no ${s.mode} mode (it has: ${def.modes.join(", ")})`);
        } else if (s.mode === "http" && def.answers !== "contract" && !def.answers.includes(`${variant.load.method} ${variant.load.path.split("?")[0]}`)) {
          run = skippedRun(base, `${t.name} answers only ${def.answers.join(", ")}, not ${variant.load.method} ${variant.load.path}`);
        } else if (def.unavailableReason()) {
          run = failedRun(base, `unavailable: ${def.unavailableReason()}`);
        } else if (generatorProblem(variant.load, genReasons)) {
          run = failedRun(base, generatorProblem(variant.load, genReasons)!);
        } else {
          const generator = o.generators[variant.load.generator];
          const m = await measureOne({ ...base, def, generator, host: o.host, onLive: o.onLive });
          run = m.run;
          if (Object.keys(m.versions).length > 0) targetVersions[t.name] = m.versions;
          if (o.signal?.aborted && run.status === "failed") {
            run = { ...run, failure: `interrupted: ${run.failure}` };
          }
        }
        runs.push(run);
        writer.write(snapshot(false));
        o.onRunDone?.(run);
      }
    }
  }
  if (o.signal?.aborted) interrupted = true;
  const result = snapshot(!interrupted);
  const file = writer.write(result);
  return { file, result, failedRuns: runs.filter((r) => r.status === "failed").length, interrupted };
}
