// Finds a scenario (a name under scenarios/ or a path), parses it once into a resolved Scenario,
// and applies command-line overrides. Every problem is reported at once, each naming the file,
// the JSON path of the field and what is expected.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

import type { z } from "zod";

import { didYouMean } from "../did-you-mean.js";
import { BadInputError } from "../errors.js";
import type { Claims, LoadSection, RatioGoal, Variant } from "./schema.js";
import { ScenarioFile } from "./schema.js";
import { resolveLink, type HostsSection, type LinkSection } from "../topology/scenario.js";
import type { SweepSection } from "../sweep/section.js";

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
}

export interface ScenarioTarget {
  name: string;
  threads: number;
  variants: ResolvedVariant[];
}

export interface Scenario {
  name: string;
  description: string;
  /** Absolute path of the file it came from. */
  file: string;
  mode: "http" | "echo";
  targets: ScenarioTarget[];
  load: LoadSection;
  warmupS: number;
  durationS: number;
  repetitions: number;
  cpus: { server: number[]; client: number[] } | null;
  cpuNote: string | null;
  claims: Claims | null;
  ratios: RatioGoal[];
  hosts: HostsSection;
  link: LinkSection | null;
  sweep: SweepSection | null;
}

export interface Overrides {
  durationS?: number;
  warmupS?: number;
  repetitions?: number;
  targets?: string[];
  generator?: "native" | "autocannon" | "wrk";
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
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || "(root)";
}

export function formatIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.map((i) => `  ${file}: ${jsonPath(i.path)}: ${i.message}`);
  return `invalid scenario (${error.issues.length} problem${error.issues.length > 1 ? "s" : ""}):\n${lines.join("\n")}`;
}

/** Why a load's backend settings cannot run (wrk and autocannon have their own I/O), or null. */
export function backendProblem(l: { generator: string; backend: string; sqpoll: boolean }): string | null {
  if (l.backend !== "epoll" && l.generator !== "native") {
    return `backend "${l.backend}" needs the native generator (${l.generator} has its own I/O); use generator "native" or backend "epoll"`;
  }
  if (l.sqpoll && l.backend !== "io_uring") return `sqpoll needs backend "io_uring"; drop sqpoll or set backend "io_uring"`;
  return null;
}

export function parseScenario(raw: unknown, file: string): Scenario {
  const parsed = ScenarioFile.safeParse(raw);
  if (!parsed.success) throw new BadInputError(formatIssues(file, parsed.error));
  const s = parsed.data;
  const defaultThreads = s.serverThreads ?? s.cpus?.server.length ?? 1;
  const targets = s.targets.map((t) => ({
    name: t.name,
    threads: t.threads ?? defaultThreads,
    variants: (t.variants ?? [{ name: "default", env: {}, args: [] }]).map((v) => ({
      name: v.name,
      env: v.env,
      args: v.args,
      load: { ...s.load, ...(v.load ?? {}) },
      ...(v.background ? { background: v.background } : {}),
      link: resolveLink(s.link, v.link),
    })),
  }));
  const rowNames = new Set(targets.flatMap((t) => [t.name, ...t.variants.map((v) => `${t.name}/${v.name}`)]));
  s.ratios.forEach((r, i) => {
    for (const k of ["of", "to"] as const) {
      if (!rowNames.has(r[k])) {
        throw new BadInputError(
          `invalid scenario:\n  ${file}: ratios[${i}].${k}: "${r[k]}" is not a row of this scenario (rows: ${[...rowNames].join(", ")})`,
        );
      }
    }
  });
  const seen = new Set<string>();
  targets.forEach((t, i) => {
    const names = new Set<string>();
    t.variants.forEach((v, j) => {
      if (names.has(v.name)) {
        throw new BadInputError(
          `invalid scenario:\n  ${file}: targets[${i}].variants[${j}].name: variant "${v.name}" appears twice for ${t.name}; give each variant its own name`,
        );
      }
      names.add(v.name);
    });
    if (seen.has(t.name)) {
      throw new BadInputError(
        `invalid scenario:\n  ${file}: targets[${i}]: target "${t.name}" is listed twice; list it once and use variants for its settings`,
      );
    }
    seen.add(t.name);
  });
  targets.forEach((t, i) =>
    t.variants.forEach((v, j) => {
      const backendWhy = backendProblem(v.load);
      if (backendWhy) {
        const where = v.load.backend === s.load.backend && v.load.sqpoll === s.load.sqpoll ? "load" : `targets[${i}].variants[${j}].load`;
        throw new BadInputError(`invalid scenario:\n  ${file}: ${where}: ${backendWhy}`);
      }
      if (s.mode === "echo" && v.load.generator !== "native") {
        const where = v.load.generator === s.load.generator ? "load.generator" : `targets[${i}].variants[${j}].load.generator`;
        throw new BadInputError(
          `invalid scenario:\n  ${file}: ${where}: echo mode needs the native generator (autocannon and wrk speak only HTTP); use "native"`,
        );
      }
    }),
  );
  return {
    name: s.name,
    description: s.description,
    file,
    mode: s.mode,
    targets,
    load: s.load,
    warmupS: s.warmupS,
    durationS: s.durationS,
    repetitions: s.repetitions,
    cpus: s.cpus,
    cpuNote: s.cpuNote ?? null,
    claims: s.claims ?? null,
    ratios: s.ratios,
    hosts: s.hosts,
    link: s.link,
    sweep: s.sweep ?? null,
  };
}

export function readScenario(nameOrPath: string, scenariosDir: string): Scenario {
  const file = scenarioPath(nameOrPath, scenariosDir);
  if (!existsSync(file)) {
    const names = existsSync(scenariosDir) ? readdirSync(scenariosDir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)) : [];
    const hint = file.startsWith(scenariosDir) ? didYouMean(nameOrPath, names) : "";
    throw new BadInputError(`no scenario "${nameOrPath}": ${file} does not exist${hint}; npm run list shows the scenarios`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
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
        `--targets: ${missing.join(", ")} not in scenario ${s.name}${didYouMean(missing[0]!, s.targets.map((t) => t.name))}; it has: ${s.targets.map((t) => t.name).join(", ")}`,
      );
    }
    targets = s.targets.filter((t) => o.targets!.includes(t.name));
  }
  const gen = o.generator;
  if (gen) {
    for (const t of targets) {
      for (const v of t.variants) {
        const why = backendProblem({ ...v.load, generator: gen });
        if (why) throw new BadInputError(`--generator ${gen}: ${t.name}/${v.name}: ${why}`);
      }
    }
  }
  return {
    ...s,
    targets: gen ? targets.map((t) => ({ ...t, variants: t.variants.map((v) => ({ ...v, load: { ...v.load, generator: gen } })) })) : targets,
    durationS: o.durationS ?? s.durationS,
    warmupS: o.warmupS ?? s.warmupS,
    repetitions: o.repetitions ?? s.repetitions,
    load: gen ? { ...s.load, generator: gen } : s.load,
    hosts: o.hosts ? { ...s.hosts, ...o.hosts } : s.hosts,
  };
}
