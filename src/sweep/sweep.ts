// Runs sweeps: for each repetition, for each server (alternating, as bench does), start it once,
// verify its answers, then sweep each of its jobs (e.g. 16 and 256 connections) step by step as
// the plan says, and stop it. A URL is swept as it is: no start, no server CPU.
import type { LoadGenerator, LoadSpec } from "../load/types.js";
import type { LoadSettings, SweepRep, SweepResult, SweepStep } from "../model/index.js";
import { startAndVerify } from "../run/start-verify.js";
import type { RunningTarget } from "../targets/process.js";
import type { TargetDef } from "../targets/registry.js";
import type { Topology } from "../topology/types.js";
import { kneeOverReps, repKnee, saturationRps } from "./knee.js";
import { nextStep } from "./plan.js";
import { recordedSettings, type SweepSettings } from "./settings.js";
import { runStep } from "./step.js";
import { sweepVerdict } from "./verdict.js";
import { summarize } from "../stats/index.js";

export type SweepSubject =
  | { kind: "target"; def: TargetDef; threads: number; env: Record<string, string>; args: string[] }
  | { kind: "url"; url: string };

export interface SweepJob {
  /** The row's name: the target's, or host:port for a URL. */
  target: string;
  variant: string;
  subject: SweepSubject;
  /** Host, port (for a URL), connections, threads, request, pinning; rate and timing are the steps'. */
  spec: LoadSpec;
  load: LoadSettings;
}

export interface SweepPlan {
  jobs: SweepJob[];
  settings: SweepSettings;
  serverCpus: number[] | null;
  generator: LoadGenerator;
  /** Where the target and the client run (the scenario's hosts); absent: here. */
  topology?: Topology;
}

export interface SweepHooks {
  onStep?: (job: SweepJob, rep: number, step: SweepStep) => void;
  /** After every repetition of every job: the sweeps so far (the result file is rewritten). */
  onProgress?: (sweeps: SweepResult[], versions: Record<string, Record<string, string>>) => void;
  signal?: AbortSignal;
}

export function summarizeSweep(job: SweepJob, reps: SweepRep[], s: SweepSettings): SweepResult {
  const knee = s.slos.map((slo) => kneeOverReps(reps, slo));
  const sat = reps.map((r) => r.saturationRps).filter((x): x is number => x !== null);
  return {
    target: job.target,
    url: job.subject.kind === "url" ? job.subject.url : null,
    variant: job.variant,
    load: job.load,
    settings: recordedSettings(s),
    reps,
    knee,
    saturationRps: summarize(sat),
    verdict: sweepVerdict(reps, knee, s),
  };
}

async function sweepRep(job: SweepJob, plan: SweepPlan, rep: number, server: RunningTarget | null, hooks: SweepHooks): Promise<SweepRep> {
  const s = plan.settings;
  const startedAt = new Date().toISOString();
  const spec = server
    ? { ...job.spec, host: plan.topology?.serverHost ?? job.spec.host, port: server.port, place: plan.topology?.clientPlace }
    : job.spec;
  const steps: SweepStep[] = [];
  let stoppedBy = "";
  let failure: string | null = null;
  for (;;) {
    if (hooks.signal?.aborted) {
      stoppedBy = "interrupted";
      break;
    }
    const next = nextStep(steps, s);
    if ("stop" in next) {
      stoppedBy = next.stop;
      break;
    }
    try {
      const step = await runStep({
        index: steps.length,
        phase: next.phase,
        offeredRps: Math.max(1, Math.round(next.rps)),
        spec,
        generator: plan.generator,
        settings: s,
        topology: plan.topology,
        server: server && job.subject.kind === "target" ? { target: server, threads: job.subject.threads, cpus: plan.serverCpus } : null,
      });
      steps.push(step);
      hooks.onStep?.(job, rep, step);
    } catch (e) {
      failure = `step at ${Math.round(next.rps)} req/s: ${(e as Error).message}`;
    }
    if (server?.hasExited())
      failure = `${job.target} died during the sweep${server.stderrTail() ? `; its stderr:\n${server.stderrTail()}` : ""}`;
    if (failure !== null) {
      stoppedBy = "failure";
      break;
    }
  }
  return {
    rep,
    startedAt,
    steps,
    stoppedBy,
    failure,
    knees: s.slos.map((slo) => repKnee(steps, slo)),
    saturationRps: saturationRps(steps),
  };
}

function failedRep(rep: number, failure: string, s: SweepSettings): SweepRep {
  return {
    rep,
    startedAt: new Date().toISOString(),
    steps: [],
    stoppedBy: "failure",
    failure,
    knees: s.slos.map((slo) => repKnee([], slo)),
    saturationRps: null,
  };
}

/** Starts and verifies the target of a group of jobs through the run path; a string says why it could not. */
async function startSubject(subject: SweepSubject, job: SweepJob, plan: SweepPlan): Promise<RunningTarget | null | string> {
  if (subject.kind === "url") return null;
  const started = await startAndVerify({
    def: subject.def,
    host: plan.topology?.serverHost ?? job.spec.host,
    threads: subject.threads,
    mode: "http",
    env: subject.env,
    args: subject.args,
    cpus: plan.serverCpus,
    request: { method: job.spec.method, path: job.spec.path, bodyBytes: job.spec.bodyBytes },
    topology: plan.topology,
    windowS: plan.settings.stepS,
  });
  return "failure" in started ? started.failure : started.target;
}

function groups(jobs: SweepJob[]): SweepJob[][] {
  const by = new Map<string, SweepJob[]>();
  for (const j of jobs) {
    const key =
      j.subject.kind === "url"
        ? j.subject.url
        : `${j.target}/${j.subject.def.name}/${JSON.stringify(j.subject.env)}${j.subject.args.join(" ")}`;
    by.set(key, [...(by.get(key) ?? []), j]);
  }
  return [...by.values()];
}

export interface SweepOutcome {
  sweeps: SweepResult[];
  /** Runtime and library versions each target reported. */
  versions: Record<string, Record<string, string>>;
}

export async function runSweeps(plan: SweepPlan, hooks: SweepHooks = {}): Promise<SweepOutcome> {
  const reps = new Map<SweepJob, SweepRep[]>(plan.jobs.map((j) => [j, []]));
  const versions: Record<string, Record<string, string>> = {};
  const snapshot = () => plan.jobs.map((j) => summarizeSweep(j, reps.get(j)!, plan.settings));
  for (let rep = 0; rep < plan.settings.repetitions && !hooks.signal?.aborted; rep++) {
    for (const group of groups(plan.jobs)) {
      if (hooks.signal?.aborted) break;
      const first = group[0]!;
      const started = await startSubject(first.subject, first, plan);
      try {
        if (started !== null && typeof started !== "string")
          versions[first.target] = (await started.stats().catch(() => null))?.versions ?? {};
        for (const job of group) {
          if (hooks.signal?.aborted) break;
          const r = typeof started === "string" ? failedRep(rep, started, plan.settings) : await sweepRep(job, plan, rep, started, hooks);
          reps.get(job)!.push(r);
          hooks.onProgress?.(snapshot(), versions);
        }
      } finally {
        if (started !== null && typeof started !== "string") await started.stop();
      }
    }
  }
  return { sweeps: snapshot(), versions };
}
