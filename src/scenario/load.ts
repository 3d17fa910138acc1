// Finds a scenario (a name under scenarios/ or a path), parses it once into a resolved Scenario,
// and applies command-line overrides. Every problem is reported at once, each naming the file,
// the JSON path of the field and what is expected.
import { existsSync, readdirSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

import type { z } from "zod";

import { didYouMean } from "../did-you-mean.js";
import { BadInputError } from "../errors.js";
import type { Claims, GeneratorName, LoadSection, Mode, RatioGoal, Variant } from "../model/index.js";
import { DEFAULT_BUDGET, DEFAULT_PRECISION, RANGES, ScenarioFile, type AutoReps, type Budget } from "../model/index.js";
import { resolveLink, type HostsSection, type LinkSection } from "../model/index.js";
import type { SweepSection } from "../model/index.js";
import { blankLineComments } from "./comments.js";
import { userTargetsOf, type UserTargetSpec } from "../targets/user-spec.js";
import { readBoundedText } from "../io/bounded-read.js";
import type { ScalingSection, TlsKeyType } from "../model/index.js";

export type { LoadSection };

/** A variant with its load resolved: the scenario's load with the variant's overrides on top. */
export interface ResolvedVariant {
  name: string;
  env: Record<string, string>;
  args: string[];
  load: LoadSection;
  background?: Variant["background"];
  /** The scenario's link with the variant's changes. */
  link: LinkSection | null;
  /** false: no eBPF kernel probes in this variant's windows. */
  kernelProbes?: boolean;
}

export interface ScenarioTarget {
  name: string;
  threads: number;
  variants: ResolvedVariant[];
  /** The user's own server (command, Go package at a revision, URL); absent: a registered target. */
  user?: UserTargetSpec;
}

export interface Scenario {
  name: string;
  description: string;
  /** Absolute path of the file it came from. */
  file: string;
  mode: Mode;
  targets: ScenarioTarget[];
  load: LoadSection;
  warmupS: number;
  durationS: number;
  /** The repetitions to run; with autoReps, the most the budget allows (a count, else the range's cap). */
  repetitions: number;
  /** --reps auto: the precision and budget (src/run/stopping.ts); null: exactly `repetitions`. */
  autoReps: AutoReps | null;
  cpus: { server: number[]; client: number[] } | null;
  cpuNote: string | null;
  claims: Claims | null;
  ratios: RatioGoal[];
  hosts: HostsSection;
  link: LinkSection | null;
  sweep: SweepSection | null;
  /** The certificate of TLS runs: made per run with keyType, or the user's own files (absolute). */
  certificate: { keyType: TlsKeyType; cert: string | null; key: string | null };
  scaling: ScalingSection | null;
  speedProbe: boolean;
}

export interface Overrides {
  durationS?: number;
  warmupS?: number;
  repetitions?: number | "auto";
  /** With auto: --precision, --budget. */
  precision?: number;
  budget?: Budget;
  targets?: string[];
  generator?: GeneratorName;
  /** --topology, --server-host, --client-hosts */
  hosts?: Partial<HostsSection>;
}

export function scenarioPath(nameOrPath: string, scenariosDir: string): string {
  if (nameOrPath.endsWith(".json") || nameOrPath.includes("/")) {
    return isAbsolute(nameOrPath) ? nameOrPath : resolve(nameOrPath);
  }
  return join(scenariosDir, `${nameOrPath}.json`);
}

/** "targets[2].variants[0].env.GOGC" from a zod issue path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    const key = String(p);
    // A key that is not a plain name (an env name with "=", an empty one) is quoted, as JSON would.
    if (typeof p === "number") out += `[${p}]`;
    else if (!/^[A-Za-z_$][\w$]*$/.test(key)) out += `[${JSON.stringify(key)}]`;
    else out += out ? `.${key}` : key;
  }
  return out || "(root)";
}

export function formatIssues(file: string, error: z.ZodError): string {
  return problemsMessage(
    "invalid scenario",
    file,
    error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`),
  );
}

/** One problem is one line (the bad-input rule); several are a count, then a line each. */
function problemsMessage(what: string, file: string, problems: string[]): string {
  if (problems.length === 1) return `${what}: ${file}: ${problems[0]}`;
  return [`${what} (${problems.length} problems):`, ...problems.map((p) => `  ${file}: ${p}`)].join("\n");
}

/** Why a load's backend settings cannot run (wrk and autocannon have their own I/O), or null. */
export function backendProblem(l: { generator: string; backend: string; sqpoll: boolean }): string | null {
  if (l.backend !== "epoll" && l.generator !== "native") {
    return `backend "${l.backend}" needs the native generator (${l.generator} has its own I/O); use generator "native" or backend "epoll"`;
  }
  if (l.sqpoll && l.backend !== "io_uring") return `sqpoll needs backend "io_uring"; drop sqpoll or set backend "io_uring"`;
  return null;
}

/** Client threads beyond the connections would have nothing to do (autocannon runs one thread,
 * whatever it is told), or null. */
export function threadsProblem(l: { generator: string; threads: number; connections: number }): string | null {
  if (l.generator === "autocannon" || l.threads <= l.connections) return null;
  return `threads ${l.threads} is above connections ${l.connections}: each client thread needs a connection; lower threads or raise connections`;
}

function rowProblems(s: Scenario): string[] {
  const rowNames = new Set(s.targets.flatMap((t) => [t.name, ...t.variants.map((v) => `${t.name}/${v.name}`)]));
  return s.ratios.flatMap((r, i) =>
    (["of", "to"] as const)
      .filter((k) => !rowNames.has(r[k]))
      .map((k) => `ratios[${i}].${k}: "${r[k]}" is not a row of this scenario (rows: ${[...rowNames].join(", ")})`),
  );
}

function duplicateProblems(s: Scenario): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  s.targets.forEach((t, i) => {
    const names = new Set<string>();
    t.variants.forEach((v, j) => {
      if (names.has(v.name))
        out.push(`targets[${i}].variants[${j}].name: variant "${v.name}" appears twice for ${t.name}; give each variant its own name`);
      names.add(v.name);
    });
    if (seen.has(t.name)) out.push(`targets[${i}]: target "${t.name}" is listed twice; list it once and use variants for its settings`);
    seen.add(t.name);
  });
  return out;
}

/** Why a load's protocol fields cannot go together, or null. Whether the generator and the target
 *  speak the protocol is the runner's to say (src/run/runner.ts refusal), per run. */
export function protocolProblem(l: LoadSection, mode: Mode, sweeps: boolean): string | null {
  if (l.streams > 1 && !l.h2)
    return `streams ${l.streams} needs h2: true (HTTP/1.1 has one request in flight per connection; use pipeline)`;
  if (l.tlsResume && !l.tls) return "tlsResume needs tls: true (session tickets are TLS's)";
  if (l.tlsEarlyData && !(l.tls && l.tlsResume))
    return "tlsEarlyData needs tls: true and tlsResume: true (early data rides on a resumed TLS 1.3 session)";
  if (l.tlsEarlyData && l.h2) return "tlsEarlyData with h2: the generator sends early data over HTTP/1.1 only";
  if ((l.tls || l.h2) && mode === "echo") return "tls and h2 are HTTP: echo mode is raw TCP; drop them or use mode http";
  if ((l.tls || l.h2) && sweeps) return "sweep and scaling load over plain HTTP/1.1 only: drop tls and h2 from this scenario";
  if (l.arrival === "poisson" && l.rate === null) return 'arrival "poisson" sets when open-loop requests are sent; add a rate';
  if (l.arrival === "poisson" && l.generator !== "native")
    return `arrival "poisson" needs the native generator (${l.generator} spaces its requests its own way)`;
  return null;
}

/** What each variant's load asks that its generator cannot do. */
function loadProblems(s: Scenario): string[] {
  return s.targets.flatMap((t, i) =>
    t.variants.flatMap((v, j) => {
      const out: string[] = [];
      const threadsWhy = threadsProblem(v.load);
      if (threadsWhy)
        out.push(
          `${v.load.threads === s.load.threads && v.load.connections === s.load.connections ? "load" : `targets[${i}].variants[${j}].load`}: ${threadsWhy}`,
        );
      const backendWhy = backendProblem(v.load);
      if (backendWhy)
        out.push(
          `${v.load.backend === s.load.backend && v.load.sqpoll === s.load.sqpoll ? "load" : `targets[${i}].variants[${j}].load`}: ${backendWhy}`,
        );
      const protocolWhy = protocolProblem(v.load, s.mode, s.sweep !== null || s.scaling !== null);
      if (protocolWhy) out.push(`${v.load === s.load ? "load" : `targets[${i}].variants[${j}].load`}: ${protocolWhy}`);
      if (s.mode === "echo" && v.load.generator !== "native") {
        const where = v.load.generator === s.load.generator ? "load.generator" : `targets[${i}].variants[${j}].load.generator`;
        out.push(`${where}: echo mode needs the native generator (autocannon and wrk speak only HTTP); use "native"`);
      }
      return out;
    }),
  );
}

/** The scenario as resolved, with every problem the schema cannot see reported at once; the same
 *  check runs after command-line overrides (`how` names them), so nothing reaches a run unchecked. */
function checked(s: Scenario, how = ""): Scenario {
  // Each problem once: one flag over eight variants is one mistake, not eight.
  const problems = [...new Set([...rowProblems(s), ...duplicateProblems(s), ...loadProblems(s)])];
  if (problems.length === 0) return s;
  throw new BadInputError(problemsMessage(`invalid scenario${how ? ` ${how}` : ""}`, s.file, problems));
}

export function parseScenario(raw: unknown, file: string): Scenario {
  const parsed = ScenarioFile.safeParse(raw);
  if (!parsed.success) throw new BadInputError(formatIssues(file, parsed.error));
  const s = parsed.data;
  const defaultThreads = s.serverThreads ?? s.cpus?.server.length ?? 1;
  // A Go package at several revisions is one row per revision (<name>@<rev>).
  const entries = s.targets.flatMap((t) => {
    const users: { name: string; user?: UserTargetSpec }[] = userTargetsOf(t.name, t);
    return (users.length === 0 ? [{ name: t.name }] : users).map((u) => ({ t, ...u }));
  });
  const targets = entries.map(({ t, name, user }) => ({
    name,
    ...(user ? { user } : {}),
    threads: t.threads ?? defaultThreads,
    variants: (t.variants ?? [{ name: "default", env: {}, args: [] }]).map((v) => ({
      name: v.name,
      env: v.env,
      args: v.args,
      load: { ...s.load, ...(v.load ?? {}) },
      ...(v.background ? { background: v.background } : {}),
      link: resolveLink(s.link, v.link),
      ...(v.kernelProbes === false ? { kernelProbes: false } : {}),
    })),
  }));
  return checked({
    name: s.name,
    description: s.description,
    file,
    mode: s.mode,
    targets,
    load: s.load,
    warmupS: s.warmupS,
    durationS: s.durationS,
    ...repsOf(s.repetitions, s.precision, s.budget),
    cpus: s.cpus,
    cpuNote: s.cpuNote ?? null,
    claims: s.claims ?? null,
    ratios: s.ratios,
    hosts: s.hosts,
    link: s.link,
    sweep: s.sweep ?? null,
    scaling: s.scaling ?? null,
    speedProbe: s.speedProbe,
    certificate: {
      keyType: s.certificate.keyType,
      cert: s.certificate.cert ? resolve(dirname(file), s.certificate.cert) : null,
      key: s.certificate.key ? resolve(dirname(file), s.certificate.key) : null,
    },
  });
}

export function readScenario(nameOrPath: string, scenariosDir: string): Scenario {
  const file = scenarioPath(nameOrPath, scenariosDir);
  if (!existsSync(file)) {
    const names = existsSync(scenariosDir)
      ? readdirSync(scenariosDir)
          .filter((f) => f.endsWith(".json"))
          .map((f) => f.slice(0, -5))
      : [];
    const hint = file.startsWith(scenariosDir) ? didYouMean(nameOrPath, names) : "";
    throw new BadInputError(`no scenario "${nameOrPath}": ${file} does not exist${hint}; npm run list shows the scenarios`);
  }
  const text = readBoundedText(file, "scenario", "scenario");
  let raw: unknown;
  try {
    raw = JSON.parse(blankLineComments(text));
  } catch (e) {
    throw new BadInputError(`invalid scenario:\n  ${file}: not valid JSON: ${(e as Error).message}`);
  }
  return parseScenario(raw, file);
}

/** Pinning to CPUs this machine does not have would fail in taskset for every run: refuse it
 * up front, naming the field. */
export function checkCpus(s: Scenario, available: number): void {
  if (!s.cpus) return;
  const problems: string[] = [];
  for (const side of ["server", "client"] as const) {
    s.cpus[side].forEach((c, i) => {
      if (c >= available) {
        problems.push(
          `  ${s.file}: cpus.${side}[${i}]: CPU ${c} does not exist here (this machine has CPUs 0..${available - 1}); change the scenario's cpus, or set "cpus": null to run unpinned`,
        );
      }
    });
  }
  if (problems.length > 0) throw new BadInputError(`scenario cannot run on this machine:\n${problems.join("\n")}`);
}

/** Applies command-line overrides; `known` is the registry's target names for --targets checks. */
export function applyOverrides(s: Scenario, o: Overrides): Scenario {
  let targets = s.targets;
  if (o.targets) {
    const missing = o.targets.filter((n) => !s.targets.some((t) => t.name === n));
    if (missing.length > 0) {
      throw new BadInputError(
        `--targets: ${missing.join(", ")} not in scenario ${s.name}${didYouMean(
          missing[0]!,
          s.targets.map((t) => t.name),
        )}; it has: ${s.targets.map((t) => t.name).join(", ")}`,
      );
    }
    targets = s.targets.filter((t) => o.targets!.includes(t.name));
  }
  const gen = o.generator;
  const overridden: Scenario = {
    ...s,
    targets: gen
      ? targets.map((t) => ({ ...t, variants: t.variants.map((v) => ({ ...v, load: { ...v.load, generator: gen } })) }))
      : targets,
    durationS: o.durationS ?? s.durationS,
    warmupS: o.warmupS ?? s.warmupS,
    ...repsOverride(s, o),
    load: gen ? { ...s.load, generator: gen } : s.load,
    hosts: o.hosts ? { ...s.hosts, ...o.hosts } : s.hosts,
  };
  return checked(overridden, gen ? `with --generator ${gen}` : "");
}

/** The repetitions to run and, for auto, its settings (defaults: src/model/reps.ts). */
function repsOf(r: number | "auto", precision: number | undefined, budget: Budget | undefined): Pick<Scenario, "repetitions" | "autoReps"> {
  if (r !== "auto") return { repetitions: r, autoReps: null };
  const b = budget ?? DEFAULT_BUDGET;
  return { repetitions: "reps" in b ? b.reps : RANGES.repetitions.max, autoReps: { precision: precision ?? DEFAULT_PRECISION, budget: b } };
}

/** --reps, --precision, --budget over the scenario's: a count replaces auto; precision and budget need auto. */
function repsOverride(s: Scenario, o: Overrides): Pick<Scenario, "repetitions" | "autoReps"> {
  const auto = o.repetitions === "auto" || (o.repetitions === undefined && Boolean(s.autoReps));
  if (!auto && (o.precision !== undefined || o.budget !== undefined))
    throw new BadInputError(
      `${o.precision !== undefined ? "--precision" : "--budget"} applies to --reps auto only (the scenario runs ${o.repetitions ?? s.repetitions} repetitions); add --reps auto`,
    );
  if (!auto) return { repetitions: (o.repetitions as number | undefined) ?? s.repetitions, autoReps: null };
  return repsOf("auto", o.precision ?? s.autoReps?.precision, o.budget ?? s.autoReps?.budget);
}
