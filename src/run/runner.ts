// The runner: repetitions x targets x variants, targets alternating inside each repetition so
// that drift on the machine spreads over all of them. The result file is rewritten after every
// run, so an interruption or a crash later loses nothing.
import { dirname, join } from "node:path";

import { nativeBackendUnavailable } from "../load/backend.js";
import type { GeneratorName, LoadGenerator } from "../load/types.js";
import { fingerprint, gitState } from "../results/env.js";
import {
  GENERATOR_PROTOCOLS,
  isTls,
  protocolOfLoad,
  RESULT_SCHEMA,
  type Environment,
  type ResultFile,
  type Run,
  type Stopping,
} from "../model/index.js";
import type { TargetDef } from "../targets/registry.js";
import type { TlsFiles } from "../tls/certs.js";
import { runCertificates } from "../tls/run-certs.js";
import { nativeProtocolUnavailable } from "../load/protocols.js";
import { ResultWriter, utcStamp } from "../results/writer.js";
import type { ResolvedVariant, Scenario, ScenarioTarget } from "../scenario/load.js";
import { targetDefOf } from "../targets/registry.js";
import { isInvalid } from "../verdict/index.js";
import { DEFINITIONS } from "./definitions.js";
import type { ProfilePlace } from "../profile/take.js";
import { failedRun, measureOne, skippedRun, type LiveLine } from "./measure-one.js";
import { evaluateRatios } from "./ratios.js";
import { summarizeRuns } from "./summary.js";
import { countedRuns, markSlowRepetition } from "./slow-reps.js";
import { AutoRepetitions } from "./stopping.js";
import { openTopology } from "../topology/open.js";
import { closeSpeedWorkers, SpeedBaseline, startSpeedWorkers } from "../probe/speed.js";
import type { Topology } from "../topology/types.js";

export interface RunnerOptions {
  scenario: Scenario;
  generators: Record<GeneratorName, LoadGenerator>;
  host: string;
  resultsDir: string;
  /** Explicit output file (--out); otherwise results/<hardware-id>/<stamp>-<scenario>.json. */
  outPath: string | null;
  command: string;
  repoRoot: string;
  /** Aborting stops the run under way (its client and target) and ends the scenario. */
  signal?: AbortSignal;
  onLive?: (l: LiveLine) => void;
  onRunDone?: (r: Run) => void;
  onStart?: (file: string | null, hardwareId: string) => void;
  /** bench --profile: profile every run's window into `<result-stem>.profiles/`. */
  profile?: boolean;
  /** Set by runScenario: the run's certificate for its TLS runs, or why there is none. */
  tls?: { files: TlsFiles | null; why: string | null };
}

export interface RunnerOutcome {
  file: string;
  result: ResultFile;
  failedRuns: number;
  /** Runs that measured but whose number misleads (verdict invalid): the exit code is 1. */
  invalidRuns: number;
  interrupted: boolean;
}

export interface Recorded {
  env: Omit<Environment, "targets">;
  git: ResultFile["git"];
  runs: Run[];
  targetVersions: Record<string, Record<string, string>>;
  /** --reps auto: why the repetitions stopped, set when they have. */
  stopping?: Stopping;
}

export function snapshot(o: RunnerOptions, rec: Recorded, complete: boolean): ResultFile {
  const s = o.scenario;
  const base: ResultFile = {
    schema: RESULT_SCHEMA,
    createdAt: new Date().toISOString(),
    command: o.command,
    scenario: { ...s, file: s.file },
    env: { ...rec.env, targets: rec.targetVersions },
    git: rec.git,
    definitions: DEFINITIONS,
    runs: rec.runs,
    summary: summarizeRuns(countedRuns(rec.runs)),
    ratios: [],
    completeness: complete ? "complete" : "partial",
    ...(rec.stopping ? { stopping: rec.stopping } : {}),
  };
  base.ratios = evaluateRatios({ ...base, runs: countedRuns(rec.runs) }, s.ratios, Boolean(s.autoReps)).map((x) => ({
    of: x.goal.of,
    to: x.goal.to,
    metric: x.goal.metric,
    atLeast: x.goal.atLeast ?? null,
    atMost: x.goal.atMost ?? null,
    why: x.goal.why ?? null,
    ratio: x.ratio,
    perRep: x.perRep,
    verdict: x.verdict,
    ...(x.undecidedWhy !== null ? { undecidedWhy: x.undecidedWhy } : {}),
    ...(x.decidedOn !== null ? { decidedOn: x.decidedOn } : {}),
    clientBound: x.clientBound,
  }));
  return base;
}

async function generatorReasons(o: RunnerOptions): Promise<Map<GeneratorName, string | null>> {
  const reasons = new Map<GeneratorName, string | null>();
  for (const t of o.scenario.targets) {
    for (const v of t.variants) {
      const g = v.load.generator;
      if (!reasons.has(g)) reasons.set(g, await o.generators[g].unavailableReason());
    }
  }
  return reasons;
}

/** Why this run's protocol cannot be measured (issue 24), or null: never run as plain HTTP/1.1. */
function protocolRefusal(s: Scenario, def: TargetDef, l: ResolvedVariant["load"]): string | null {
  const protocol = protocolOfLoad(l);
  if (protocol === "h1") return null;
  if (!def.protocols.includes(protocol)) return `${def.name} does not speak ${protocol} (it speaks ${def.protocols.join(", ")})`;
  if (!GENERATOR_PROTOCOLS[l.generator].includes(protocol)) {
    return `generator ${l.generator} does not send ${protocol} yet (it sends ${GENERATOR_PROTOCOLS[l.generator].join(", ")}): not run as plain HTTP/1.1`;
  }
  const missing = l.generator === "native" ? nativeProtocolUnavailable(protocol) : null;
  if (missing) return `generator native cannot send ${protocol} in this build: ${missing}`;
  // netns verifies from the client's namespace over the protocol; ssh's verifier has no TLS yet.
  if (s.hosts.topology === "ssh") return `${protocol} runs are verified on this machine only; use topology "local" or "netns"`;
  return null;
}

/** A run that cannot be measured, decided before anything starts; null when it can. */
export function refusal(s: Scenario, t: ScenarioTarget, variant: ResolvedVariant, rep: number, genReason: string | null): Run | null {
  const base = { scenario: s, target: t, variant, rep };
  const def = targetDefOf(t);
  if (!def) return failedRun(base, `no target named ${t.name} is registered (npm run list shows them)`);
  if (!def.modes.includes(s.mode)) return skippedRun(base, `${t.name} has no ${s.mode} mode (it has: ${def.modes.join(", ")})`);
  const asked = `${variant.load.method} ${variant.load.path.split("?")[0]}`;
  if (s.mode === "http" && def.answers !== "contract" && !def.answers.includes(asked)) {
    return skippedRun(base, `${t.name} answers only ${def.answers.join(", ")}, not ${variant.load.method} ${variant.load.path}`);
  }
  const unavailable = def.unavailableReason();
  if (unavailable) return failedRun(base, `unavailable: ${unavailable}`);
  if (genReason) return failedRun(base, `generator ${variant.load.generator} unavailable: ${genReason}`);
  const l = variant.load;
  const protocolWhy = protocolRefusal(s, def, l);
  if (protocolWhy) return failedRun(base, protocolWhy);
  const backendWhy = l.generator === "native" ? nativeBackendUnavailable(l.backend, l.sqpoll) : null;
  if (backendWhy)
    return failedRun(base, `generator native, backend ${l.backend}${l.sqpoll ? " with SQPOLL" : ""} unavailable: ${backendWhy}`);
  return null;
}

/** The probe runs on this machine: over ssh the target's CPUs are another machine's. The
 *  baseline lives beside the results: results/<hardware-id>/, or the --out file's folder. */
function speedBaselineFor(o: RunnerOptions, topology: Topology, hardwareId: string): SpeedBaseline | null {
  if (!o.scenario.speedProbe || topology.kind === "ssh") return null;
  return new SpeedBaseline(o.outPath !== null ? dirname(o.outPath) : join(o.resultsDir, hardwareId));
}

async function runOne(
  o: RunnerOptions,
  topology: Topology,
  rec: Recorded,
  t: ScenarioTarget,
  variant: ResolvedVariant,
  rep: number,
  genReason: string | null,
  profile: ProfilePlace | null,
): Promise<Run> {
  const refused = refusal(o.scenario, t, variant, rep, genReason);
  if (refused) return refused;
  if (isTls(protocolOfLoad(variant.load)) && o.tls?.files == null) {
    return failedRun({ scenario: o.scenario, target: t, variant, rep }, o.tls?.why ?? "no certificate for the TLS runs");
  }
  // Several client hosts: one generator spread over them.
  const generator = topology.generatorFor?.(o.generators[variant.load.generator]) ?? o.generators[variant.load.generator];
  // A URL target is loaded at its own address.
  const host = t.user?.prepared?.kind === "url" ? t.user.prepared.host : topology.serverHost;
  const speed = speedBaselineFor(o, topology, rec.env.hardwareId);
  const m = await measureOne({
    scenario: o.scenario,
    target: t,
    variant,
    rep,
    def: targetDefOf(t)!,
    generator,
    host,
    topology,
    signal: o.signal,
    onLive: o.onLive,
    profile,
    speed,
    tls: o.tls?.files ?? null,
  });
  if (Object.keys(m.versions).length > 0) rec.targetVersions[t.name] = m.versions;
  return m.run;
}

export async function runScenario(o: RunnerOptions): Promise<RunnerOutcome> {
  const s = o.scenario;
  const env = fingerprint();
  const writer = new ResultWriter(join(o.resultsDir, env.hardwareId), `${utcStamp()}-${s.name}`, o.outPath);
  // The commit and dirty flag of the code that runs, read once before it runs: edits made
  // while a long scenario is under way must not relabel what was measured.
  const rec: Recorded = { env, git: gitState(o.repoRoot), runs: [], targetVersions: {} };
  const genReasons = await generatorReasons(o);
  const planned = writer.plannedFile;
  const profile = o.profile ? { dir: planned.replace(/\.json$/, "") + ".profiles", resultDir: dirname(planned) } : null;
  o.onStart?.(null, env.hardwareId);
  // One certificate for the scenario run's TLS runs, removed with the run (never kept); made
  // before the topology opens, so a failure leaves no namespace or ssh session behind.
  const tls = await runCertificates(s);
  const topology = await openTopology(s, o.host).catch((e: unknown) => {
    tls.files?.remove();
    throw e;
  });
  // The probe's workers start now, beside the first target's start, and serve every window.
  if (s.speedProbe && topology.kind !== "ssh") startSpeedWorkers(s.cpus ? [...s.cpus.server, ...s.cpus.client] : null);
  try {
    await runAll({ ...o, tls }, topology, rec, writer, genReasons, profile);
  } finally {
    closeSpeedWorkers();
    tls.files?.remove();
    await topology.close();
  }
  const interrupted = o.signal?.aborted === true;
  const result = snapshot(o, rec, !interrupted);
  const file = writer.write(result);
  const failedRuns = rec.runs.filter((r) => r.status === "failed").length;
  const invalidRuns = rec.runs.filter((r) => r.status === "ok" && isInvalid(r.verdict)).length;
  return { file, result, failedRuns, invalidRuns, interrupted };
}

/** Repetitions x targets x variants, targets alternating inside a repetition; the result file
 *  rewritten after every run. With --reps auto, judged after each repetition (src/run/stopping.ts). */
async function runAll(
  o: RunnerOptions,
  topology: Topology,
  rec: Recorded,
  writer: ResultWriter,
  genReasons: Map<GeneratorName, string | null>,
  profile: ProfilePlace | null,
): Promise<void> {
  const s = o.scenario;
  const auto = s.autoReps ? new AutoRepetitions(s.autoReps) : null;
  outer: for (let rep = 0; rep < s.repetitions; rep++) {
    if (auto && !auto.mayStart()) break;
    for (const t of s.targets) {
      for (const variant of t.variants) {
        if (o.signal?.aborted) break outer;
        const run = await runOne(o, topology, rec, t, variant, rep, genReasons.get(variant.load.generator) ?? null, profile);
        rec.runs.push(run);
        writer.write(snapshot(o, rec, false));
        o.onRunDone?.(run);
      }
    }
    if (o.signal?.aborted) break;
    if (auto && markSlowRepetition(rec.runs, rep)) {
      auto.slowRepDone();
      continue;
    }
    if (auto?.repDone(snapshot(o, rec, false))) break;
  }
  if (auto) rec.stopping = auto.record(o.signal?.aborted === true, snapshot(o, rec, false));
}
