// `sweep <target|url|scenario>`: find each server's knee (the highest constant rate that meets
// the SLO) with open-loop steps. cli.ts parses argv with SWEEP_FLAGS and hands the values here.
import { BadInputError } from "../errors.js";
import { nativeGenerator } from "../load/native.js";
import { RESULTS_DIR, ROOT, SCENARIOS_DIR } from "../paths.js";
import type { StoredScenario } from "../results/schema.js";
import { LOAD_DEFAULTS } from "../scenario/schema.js";
import { checkCpus, readScenario } from "../scenario/load.js";
import { findTarget } from "../targets/registry.js";
import { defaultPinning, jobsFromScenario, jobsFromSubject, scenarioSweepSettings, settingsFrom, slosFrom, type Pinning } from "../sweep/jobs.js";
import { SweepFile } from "../sweep/result.js";
import { runSweeps, type SweepJob } from "../sweep/sweep.js";
import { kneeSummary, stepLine } from "../sweep/text.js";
import type { SweepSettings } from "../sweep/settings.js";
import os from "node:os";

export const SWEEP_HELP = `usage: npm run sweep -- <target|url|scenario> --slo p99=10ms [options]

  <target|url|scenario>  a registered target (started, pinned, verified), an http:// URL, or a
                         scenario with a "sweep" section (e.g. seed-table-knee)
  --slo <p=limit>        latency objective, repeatable or comma-separated: p99=10ms,p99=1ms
                         (p50, p90, p99, p99.9, max; us, ms, s)
  --connections <n,m>    connection counts, one sweep each (default 16)
  --threads <n>          client threads (default: one per client CPU, at most connections)
  --step-duration <s>    measured seconds per step (default 2)
  --warmup <s>           warm-up seconds per step (default 0.5)
  --reps <n>             repetitions (the knee's interval is over them)
  --start-rate <r>       first offered rate (default 1000 req/s)
  --max-rate <r>         never offer more (default 2M req/s)
  --path <p>             request path for a target (default /plaintext)
  --server-cpus a,b      pin the target (default: the last CPU)
  --client-cpus a,b      pin the generator (default: the other CPUs)
  --out <file>           write the result here
  --json                 print the result file's content on stdout (human output on stderr)
Exit codes: 0 ok, 1 a sweep is invalid (a failure, errors at the lowest rate, no SLO met), 2 bad input.`;

export const SWEEP_FLAGS = {
  slo: { type: "string", multiple: true },
  connections: { type: "string" },
  threads: { type: "string" },
  "step-duration": { type: "string" },
  warmup: { type: "string" },
  reps: { type: "string" },
  "start-rate": { type: "string" },
  "max-rate": { type: "string" },
  path: { type: "string" },
  "server-cpus": { type: "string" },
  "client-cpus": { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
} as const;

type Values = Partial<Record<keyof typeof SWEEP_FLAGS, string | string[] | boolean>>;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

function num(v: Values, k: keyof typeof SWEEP_FLAGS, o: { int?: boolean; min: number; above?: boolean }): number | undefined {
  const raw = v[k];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || (o.int && !Number.isInteger(n)) || n < o.min || (o.above && n === o.min)) {
    throw new BadInputError(`--${k}: expected ${o.int ? "an integer" : "a number"} ${o.above ? ">" : ">="} ${o.min}, got "${String(raw)}"`);
  }
  return n;
}

function list(v: Values, k: "connections" | "server-cpus" | "client-cpus", min: number): number[] | undefined {
  const raw = v[k];
  if (typeof raw !== "string") return undefined;
  const l = raw.split(",").map(Number);
  if (l.length === 0 || l.some((x) => !Number.isInteger(x) || x < min)) throw new BadInputError(`--${k}: expected integers >= ${min} like 16 or 16,256, got "${raw}"`);
  return l;
}

function cliSettings(v: Values): Partial<Omit<SweepSettings, "slos">> {
  return {
    stepS: num(v, "step-duration", { min: 0.1 }),
    warmupS: num(v, "warmup", { min: 0 }),
    repetitions: num(v, "reps", { int: true, min: 1 }),
    startRps: num(v, "start-rate", { min: 1 }),
    maxRps: num(v, "max-rate", { min: 1 }),
  };
}

interface Planned {
  jobs: SweepJob[];
  settings: SweepSettings;
  serverCpus: number[] | null;
  scenario: StoredScenario;
}

/** A sweep of a target or a URL named on the command line, stored as the scenario it amounts to. */
function subjectScenario(subject: string, s: SweepSettings, pin: Pinning): StoredScenario {
  const name = `sweep-${findTarget(subject)?.name ?? "url"}`;
  const cpus = pin.server && pin.client ? { server: pin.server, client: pin.client } : null;
  return { name, description: `capacity sweep of ${subject}`, file: "", mode: "http", targets: [], load: { ...LOAD_DEFAULTS, headers: {} }, warmupS: s.warmupS, durationS: s.stepS, repetitions: s.repetitions, cpus, cpuNote: null, claims: null, ratios: [] };
}

function plan(subject: string, v: Values): Planned {
  const sloTexts = ((v.slo as string[] | undefined) ?? []).flatMap((x) => x.split(",")).filter(Boolean);
  const threads = num(v, "threads", { int: true, min: 1 });
  const connections = list(v, "connections", 1);
  const d = defaultPinning();
  const pin: Pinning = { server: list(v, "server-cpus", 0) ?? d.server, client: list(v, "client-cpus", 0) ?? d.client };
  for (const c of [...(pin.server ?? []), ...(pin.client ?? [])]) {
    if (c >= os.cpus().length) throw new BadInputError(`--server-cpus/--client-cpus: CPU ${c} does not exist (this machine has CPUs 0-${os.cpus().length - 1})`);
  }
  if (/^[a-z]+:\/\//i.test(subject) || findTarget(subject)) {
    if (sloTexts.length === 0) throw new BadInputError(`sweep needs --slo, e.g. --slo p99=10ms\n\n${SWEEP_HELP}`);
    const settings = settingsFrom(null, cliSettings(v), slosFrom(sloTexts, "--slo"));
    const jobs = jobsFromSubject({ subject, connections: connections ?? [16], threads, path: (v.path as string | undefined) ?? "/plaintext", pin }, { ...LOAD_DEFAULTS, headers: {} }, settings);
    return { jobs, settings, serverCpus: pin.server, scenario: subjectScenario(subject, settings, pin) };
  }
  const sc = readScenario(subject, SCENARIOS_DIR);
  if (!sc.sweep) throw new BadInputError(`${sc.file}: no "sweep" section; a sweep needs one (or name a target or a URL instead)`);
  checkCpus(sc, os.cpus().length);
  const slos = sloTexts.length > 0 ? slosFrom(sloTexts, "--slo") : slosFrom(sc.sweep.slo, `${sc.file}: sweep.slo`);
  const settings = scenarioSweepSettings(sc.sweep, sc.repetitions, cliSettings(v), slos);
  return { jobs: jobsFromScenario(sc, settings, connections, threads), settings, serverCpus: sc.cpus?.server ?? null, scenario: { ...sc } };
}

export async function sweepCommand(subject: string, v: Values, command: string, io: Io, signal?: AbortSignal, resultsDir = RESULTS_DIR): Promise<{ text: string; exitCode: 0 | 1 | 2 }> {
  const p = plan(subject, v);
  const why = await nativeGenerator.unavailableReason();
  if (why) return { text: `the native generator is unavailable: ${why}`, exitCode: 1 };
  const say = v.json === true ? io.err : io.out;
  const s = p.settings;
  say(`evbench sweep: ${[...new Set(p.jobs.map((j) => j.target))].join(", ")}; SLO ${s.slos.map((x) => x.label).join(", ")}; connections ${[...new Set(p.jobs.map((j) => j.spec.connections))].join(", ")}; steps ${s.warmupS}s warm-up + ${s.stepS}s; ${s.repetitions} rep(s)`);
  const file = new SweepFile({ resultsDir, outPath: (v.out as string | undefined) ?? null, scenario: p.scenario, command, repoRoot: ROOT });
  let path = "";
  const { sweeps, versions } = await runSweeps(
    { jobs: p.jobs, settings: s, serverCpus: p.serverCpus, generator: nativeGenerator },
    {
      signal,
      onStep: (job, rep, step) => say(stepLine(job.target, job.variant, rep, step)),
      onProgress: (sw, versions) => (path = file.write(file.build(sw, versions, false))),
    },
  );
  const result = file.build(sweeps, versions, !signal?.aborted);
  path = file.write(result);
  say("");
  say(kneeSummary(sweeps));
  say(`result: ${path}`);
  const invalid = sweeps.some((x) => x.verdict.verdict === "invalid") || sweeps.length === 0 || signal?.aborted === true;
  return { text: v.json === true ? JSON.stringify(result) : "", exitCode: invalid ? 1 : 0 };
}
