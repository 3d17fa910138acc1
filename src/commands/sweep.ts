// `sweep <target|url|scenario>`: find each server's knee (the highest constant rate that meets
// the SLO) with open-loop steps, over the scenario's topology. Its options are declared once here,
// in the command table's form; the sweep itself is src/sweep/.
import { BadInputError } from "../errors.js";
import { nativeGenerator } from "../load/native.js";
import { ROOT, SCENARIOS_DIR } from "../paths.js";
import type { StoredScenario } from "../model/index.js";
import { LOAD_DEFAULTS } from "../model/index.js";
import { checkCpus, readScenario } from "../scenario/load.js";
import { findTarget } from "../targets/registry.js";
import { openTopology, type ScenarioPlaces } from "../topology/open.js";
import {
  defaultPinning,
  jobsFromScenario,
  jobsFromSubject,
  scenarioSweepSettings,
  settingsFrom,
  slosFrom,
  type Pinning,
} from "../sweep/jobs.js";
import { SweepFile } from "../sweep/result.js";
import { runSweeps, type SweepJob } from "../sweep/sweep.js";
import { kneeSummary, stepLine } from "../sweep/text.js";
import type { SweepSettings } from "../sweep/settings.js";
import os from "node:os";

import { probeConnect, resolveHost, UnreachableError } from "./load-preflight.js";
import { defineCommand, type Outcome, type Values } from "./define.js";
import { cpus, duration, flag, int, intList, num, repeat, str } from "./options.js";
import { resultsDirOf, resultsDirOptions } from "./results-dir.js";

const options = {
  slo: repeat({
    help: "latency objective, repeatable or comma-separated: p99=10ms,p99=1ms (p50, p90, p99, p99.9, max)",
    metavar: "<p=limit>",
  }),
  connections: intList({ help: "connection counts, one sweep each (default 16)", min: 1, max: 1_000_000 }),
  threads: int({ help: "client threads (default: one per client CPU, at most connections)", min: 1, max: 1024 }),
  "step-duration": duration({ help: "measured time per step (default 2s)", minS: 0.1, maxS: 3600 }),
  warmup: duration({ help: "warm-up per step (default 500ms)", minS: 0, maxS: 3600 }),
  reps: int({ help: "repetitions (the knee's interval is over them)", min: 1, max: 1000 }),
  "start-rate": num({ help: "first offered rate (default 1000 req/s)", min: 1, max: 1e9, metavar: "<req/s>" }),
  "max-rate": num({ help: "never offer more (default 2M req/s)", min: 1, max: 1e9, metavar: "<req/s>" }),
  path: str({ help: "request path for a target (default /plaintext)" }),
  "server-cpus": cpus({ help: "pin the target (default: the last CPU)" }),
  "client-cpus": cpus({ help: "pin the generator (default: the other CPUs)" }),
  out: str({ help: "write the result here", metavar: "<file>" }),
  json: flag({ help: "print the result file's content on stdout (human output on stderr)" }),
  ...resultsDirOptions,
};
type SweepValues = Values<typeof options>;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

function cliSettings(v: SweepValues): Partial<Omit<SweepSettings, "slos">> {
  return { stepS: v["step-duration"], warmupS: v.warmup, repetitions: v.reps, startRps: v["start-rate"], maxRps: v["max-rate"] };
}

interface Planned {
  jobs: SweepJob[];
  settings: SweepSettings;
  serverCpus: number[] | null;
  scenario: StoredScenario;
  /** A scenario's hosts and link (its topology is opened for the sweep); null: here. */
  places: ScenarioPlaces | null;
}

/** A sweep of a target or a URL named on the command line, stored as the scenario it amounts to. */
function subjectScenario(subject: string, s: SweepSettings, pin: Pinning): StoredScenario {
  const name = `sweep-${findTarget(subject)?.name ?? "url"}`;
  const cpus = pin.server && pin.client ? { server: pin.server, client: pin.client } : null;
  return {
    name,
    description: `capacity sweep of ${subject}`,
    file: "",
    mode: "http",
    targets: [],
    load: { ...LOAD_DEFAULTS, headers: {} },
    warmupS: s.warmupS,
    durationS: s.stepS,
    repetitions: s.repetitions,
    cpus,
    cpuNote: null,
    claims: null,
    ratios: [],
  };
}

function plan(subject: string, v: SweepValues): Planned {
  const sloTexts = v.slo.flatMap((x) => x.split(",")).filter(Boolean);
  const threads = v.threads;
  const connections = v.connections;
  const d = defaultPinning();
  const pin: Pinning = { server: v["server-cpus"] ?? d.server, client: v["client-cpus"] ?? d.client };
  if (/^[a-z]+:\/\//i.test(subject) || findTarget(subject)) {
    if (sloTexts.length === 0)
      throw new BadInputError("sweep needs --slo, e.g. --slo p99=10ms (npm run sweep -- --help lists the options)");
    const settings = settingsFrom(null, cliSettings(v), slosFrom(sloTexts, "--slo"));
    const jobs = jobsFromSubject(
      { subject, connections: connections ?? [16], threads, path: v.path ?? "/plaintext", pin },
      { ...LOAD_DEFAULTS, headers: {} },
      settings,
    );
    return { jobs, settings, serverCpus: pin.server, scenario: subjectScenario(subject, settings, pin), places: null };
  }
  const sc = readScenario(subject, SCENARIOS_DIR);
  if (!sc.sweep) throw new BadInputError(`${sc.file}: no "sweep" section; a sweep needs one (or name a target or a URL instead)`);
  checkCpus(sc, os.cpus().length);
  if (sc.autoReps)
    throw new BadInputError(`${sc.file}: "repetitions": "auto" is for bench; a sweep repeats a fixed count (give a number, or --reps)`);
  const slos = sloTexts.length > 0 ? slosFrom(sloTexts, "--slo") : slosFrom(sc.sweep.slo, `${sc.file}: sweep.slo`);
  const settings = scenarioSweepSettings(sc.sweep, sc.repetitions, cliSettings(v), slos);
  return {
    jobs: jobsFromScenario(sc, settings, connections, threads),
    settings,
    serverCpus: sc.cpus?.server ?? null,
    scenario: { ...sc },
    places: sc,
  };
}

/** A sweep of a URL: its server must accept a connection first (as `load` checks): a closed
 *  port would otherwise be swept step by step, every step all errors. */
async function unreachableUrl(subject: string, jobs: SweepJob[]): Promise<string | null> {
  const first = jobs[0];
  if (first === undefined || first.subject.kind !== "url") return null;
  const address = await resolveHost(first.spec.host, subject);
  try {
    await probeConnect(address, first.spec.port, first.spec.timeoutMs);
    return null;
  } catch (e) {
    if (e instanceof UnreachableError) return e.message;
    throw e;
  }
}

async function sweepCommand(
  subject: string,
  v: SweepValues,
  command: string,
  io: Io,
  signal: AbortSignal | undefined,
  resultsDir: string,
): Promise<Outcome> {
  const p = plan(subject, v);
  const why = await nativeGenerator.unavailableReason();
  if (why) return { text: `the native generator is unavailable: ${why}`, exitCode: 1 };
  const say = v.json === true ? io.err : io.out;
  const s = p.settings;
  say(
    `evbench sweep: ${[...new Set(p.jobs.map((j) => j.target))].join(", ")}; SLO ${s.slos.map((x) => x.label).join(", ")}; connections ${[...new Set(p.jobs.map((j) => j.spec.connections))].join(", ")}; steps ${s.warmupS}s warm-up + ${s.stepS}s; ${s.repetitions} rep(s)`,
  );
  // After the plan's line, so a refused URL is reported against what was asked.
  const refused = await unreachableUrl(subject, p.jobs);
  if (refused) {
    io.err(`evbench: sweep: ${refused}`);
    return { text: "", exitCode: 1 };
  }
  const file = new SweepFile({ resultsDir, outPath: v.out ?? null, scenario: p.scenario, command, repoRoot: ROOT });
  let path = "";
  const topology = p.places ? await openTopology(p.places) : undefined;
  const generator = topology?.generatorFor?.(nativeGenerator) ?? nativeGenerator;
  const { sweeps, versions } = await runSweeps(
    { jobs: p.jobs, settings: s, serverCpus: p.serverCpus, generator, topology },
    {
      signal,
      onStep: (job, rep, step) => say(stepLine(job.target, job.variant, rep, step)),
      onProgress: (sw, versions) => (path = file.write(file.build(sw, versions, false))),
    },
  ).finally(() => topology?.close());
  const result = file.build(sweeps, versions, !signal?.aborted);
  path = file.write(result);
  say("");
  say(kneeSummary(sweeps));
  say(`result: ${path}`);
  const invalid = sweeps.some((x) => x.verdict.verdict === "invalid") || sweeps.length === 0 || signal?.aborted === true;
  return { text: v.json === true ? JSON.stringify(result) : "", exitCode: invalid ? 1 : 0 };
}

export const sweepSpec = defineCommand({
  name: "sweep",
  summary: "each server's knee: the highest constant rate meeting a latency SLO",
  positionals: [
    {
      name: "target|url|scenario",
      help: 'a registered target (started, pinned, verified), an http:// URL, or a scenario with a "sweep" section',
    },
  ],
  interruptible: true,
  notes: "Exit codes: 0 ok, 1 a sweep is invalid (a failure, errors at the lowest rate, no SLO met), 2 bad input.",
  options,
  run: (v, positionals, _extra, ctx) =>
    sweepCommand(positionals[0]!, v, ctx.command, { out: ctx.out, err: ctx.err }, ctx.signal, resultsDirOf(v)),
});
