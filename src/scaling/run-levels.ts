// The runner for a scenario with connection levels (bench calls it when the scenario has a
// `scaling` section). Levels ascend; inside a level the targets alternate, repetition by
// repetition, as the ordinary runner alternates them. Each run goes through the ordinary run path
// (measureOne: start, verify, window, stop) with the target started inside its memory cgroup and
// the generator wrapped by the level's probes; an OOM kill in either group is that run's failure.
// A target that cannot hold a level (src/scaling/levels.ts holdProblem) stops there; the others
// go on. The result file is rewritten after every run, with the curves derived from the runs.
import { join } from "node:path";

import { closeRunGroups, openRunGroups, removeStaleGroups, runOomReason } from "../cgroup/guard.js";
import { argvInCgroup, findCgroupRoot } from "../cgroup/memory.js";
import { availableBytes, limitFor } from "../cgroup/limit.js";
import type { GeneratorName } from "../load/types.js";
import { fingerprint, gitState } from "../results/env.js";
import type { ResultFile, Run, RunOk } from "../model/index.js";
import { ResultWriter, utcStamp } from "../results/writer.js";
import { failedRun, measureOne } from "../run/measure-one.js";
import { refusal, snapshot, type Recorded, type RunnerOptions, type RunnerOutcome } from "../run/runner.js";
import type { ResolvedVariant, Scenario, ScenarioTarget } from "../scenario/load.js";
import { findTarget, type TargetDef } from "../targets/registry.js";
import { openTopology } from "../topology/open.js";
import type { Topology } from "../topology/types.js";
import { isInvalid } from "../verdict/index.js";
import { memoryRefusal, type MeasuredCost } from "./capacity.js";
import { curveEnd, scalingResult } from "./curves.js";
import { probeLevel } from "./level-probe.js";
import { levelScenario, levelVariant, withGoMemLimit } from "./levels.js";
import type { ScalingSection } from "../model/index.js";

interface LevelContext {
  o: RunnerOptions;
  s: Scenario;
  section: ScalingSection;
  topology: Topology;
  rec: Recorded;
  limits: { target: number; generator: number };
  genReasons: Map<GeneratorName, string | null>;
}

function withScaling(c: LevelContext, complete: boolean): ResultFile {
  return { ...snapshot({ ...c.o, scenario: c.s }, c.rec, complete), scaling: scalingResult(c.rec.runs, c.s.targets, c.section) };
}

/** The previous level's cost for this target/variant, from its last ok run there (null: none). */
function previousCost(
  runs: readonly Run[],
  target: string,
  levelVariantName: (n: number) => string,
  levels: readonly number[],
  n: number,
): MeasuredCost | null {
  const prev = levels.filter((x) => x < n).at(-1);
  if (prev === undefined) return null;
  const r = runs
    .filter(
      (x): x is RunOk => x.status === "ok" && x.target === target && x.variant === levelVariantName(prev) && x.connections !== undefined,
    )
    .at(-1);
  const l = r?.connections;
  return l
    ? {
        connections: prev,
        idleRssBytes: l.idleRssBytes,
        userBytesPerConn: l.userBytesPerConn,
        kernelBytesPerConn: l.kernelBytesPerConn,
        generatorRssPerConnMax: l.generatorRssPerConnMax,
      }
    : null;
}

/** The target's command entering its memory cgroup before it execs. */
function inCgroup(def: TargetDef, g: Parameters<typeof argvInCgroup>[0]): TargetDef {
  return {
    ...def,
    command: () => {
      const c = def.command();
      return argvInCgroup(g, c.cmd, c.args);
    },
  };
}

async function runLevel(c: LevelContext, t: ScenarioTarget, v: ResolvedVariant, n: number, rep: number): Promise<Run> {
  const variant = withGoMemLimit(levelVariant(v, n, c.section), findTarget(t.name)?.language ?? "", c.section, c.limits.target);
  const base = { scenario: c.s, target: t, variant, rep };
  const refused = refusal(c.s, t, variant, rep, c.genReasons.get(variant.load.generator) ?? null);
  if (refused) return refused;
  const cost = previousCost(c.rec.runs, t.name, (x) => levelVariant(v, x, c.section).name, c.section.connections, n);
  const tooBig = cost ? memoryRefusal(n, cost, c.limits) : null;
  if (tooBig) return failedRun(base, `refused: ${tooBig}`);
  const groups = openRunGroups(c.limits);
  if ("unavailable" in groups) return failedRun(base, `memory cgroups: ${groups.unavailable}`);
  try {
    const probe = probeLevel(c.o.generators[variant.load.generator], groups, c.section, n);
    const m = await measureOne({
      scenario: c.s,
      target: t,
      variant,
      rep,
      def: inCgroup(findTarget(t.name)!, groups.target),
      generator: probe.generator,
      host: c.topology.serverHost,
      topology: c.topology,
      signal: c.o.signal,
      onLive: c.o.onLive,
      profile: null,
    });
    if (Object.keys(m.versions).length > 0) c.rec.targetVersions[t.name] = m.versions;
    const oom = runOomReason(groups);
    if (oom) return failedRun(base, oom);
    const record = probe.record();
    const goMemLimit = variant.env.GOMEMLIMIT;
    return m.run.status === "ok" && record
      ? { ...m.run, connections: goMemLimit === undefined ? record : { ...record, cgroup: { ...record.cgroup, goMemLimit } } }
      : m.run;
  } finally {
    await closeRunGroups(groups);
  }
}

async function runAllLevels(c: LevelContext, writer: ResultWriter): Promise<void> {
  const levels = c.section.connections;
  for (const n of levels) {
    for (let rep = 0; rep < c.s.repetitions; rep++) {
      for (const t of c.s.targets) {
        for (const v of t.variants) {
          if (c.o.signal?.aborted) return;
          if (curveEnd(c.rec.runs, t.name, v.name, levels)) continue; // this target's curve ended below
          const run = await runLevel(c, t, v, n, rep);
          c.rec.runs.push(run);
          writer.write(withScaling(c, false));
          c.o.onRunDone?.(run);
        }
      }
    }
  }
}

export async function runLevels(o: RunnerOptions, section: ScalingSection): Promise<RunnerOutcome> {
  const s = levelScenario(o.scenario, section);
  const env = fingerprint();
  const writer = new ResultWriter(join(o.resultsDir, env.hardwareId), `${utcStamp()}-${s.name}`, o.outPath);
  const rec: Recorded = { env, git: gitState(o.repoRoot), runs: [], targetVersions: {} };
  const genReasons = new Map<GeneratorName, string | null>();
  for (const g of new Set(s.targets.flatMap((t) => t.variants.map((v) => v.load.generator))))
    genReasons.set(g, await o.generators[g].unavailableReason());
  const root = findCgroupRoot();
  if (!("unavailable" in root)) await removeStaleGroups(root);
  const available = availableBytes();
  const limits = {
    target: limitFor("target", section.memoryLimitBytes.target, available),
    generator: limitFor("generator", section.memoryLimitBytes.generator, available),
  };
  o.onStart?.(null, env.hardwareId);
  const topology = await openTopology(s, o.host);
  const c: LevelContext = { o, s, section, topology, rec, limits, genReasons };
  try {
    await runAllLevels(c, writer);
  } finally {
    await topology.close();
  }
  const interrupted = o.signal?.aborted === true;
  const result = withScaling(c, !interrupted);
  const file = writer.write(result);
  const failedRuns = rec.runs.filter((r) => r.status === "failed").length;
  const invalidRuns = rec.runs.filter((r) => r.status === "ok" && isInvalid(r.verdict)).length;
  return { file, result, failedRuns, invalidRuns, interrupted };
}
