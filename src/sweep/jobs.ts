// What to sweep: jobs from a scenario (each target x variant x connection count) or from one
// target name or URL on the command line; settings from the defaults, the scenario's `sweep`
// section and the command line, in that order.
import os from "node:os";

import { BadInputError } from "../errors.js";
import type { LoadSpec } from "../load/types.js";
import type { LoadSettings } from "../model/index.js";
import type { LoadSection, Scenario } from "../scenario/load.js";
import { findTarget } from "../targets/registry.js";
import type { SweepSection } from "../model/index.js";
import { SWEEP_DEFAULTS, type SweepSettings } from "./settings.js";
import { parseSlo, type Slo } from "../model/index.js";
import type { SweepJob, SweepSubject } from "./sweep.js";

export interface Pinning {
  server: number[] | null;
  client: number[] | null;
}

export function slosFrom(texts: string[], where: string): Slo[] {
  return texts.map((t) => {
    const r = parseSlo(t);
    if (typeof r === "string") throw new BadInputError(`${where}: ${r}`);
    return r;
  });
}

/** Defaults < the scenario's section < the command line (undefined fields do not override). */
const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export function settingsFrom(section: Partial<SweepSection> | null, cli: Partial<Omit<SweepSettings, "slos">>, slos: Slo[]): SweepSettings {
  const { slo: _slo, connections: _c, ...fromSection } = section ?? {};
  return { ...SWEEP_DEFAULTS, ...defined(fromSection), ...defined(cli), slos };
}

/** A scenario's sweep: its section, its repetitions, then what the command line gave. */
export function scenarioSweepSettings(
  section: Partial<SweepSection>,
  repetitions: number,
  cli: Partial<Omit<SweepSettings, "slos">>,
  slos: Slo[],
): SweepSettings {
  return settingsFrom(section, { repetitions, ...defined(cli) }, slos);
}

/** One client thread per client CPU, never more than connections; 1 when unpinned. */
export function clientThreads(connections: number, clientCpus: number[] | null): number {
  return Math.max(1, Math.min(connections, clientCpus?.length ?? 1));
}

function specFor(load: LoadSection, host: string, port: number, connections: number, threads: number, cpus: number[] | null): LoadSpec {
  return {
    host,
    port,
    connections,
    threads,
    pipeline: 1,
    rate: null,
    keepAlive: load.keepAlive,
    fastOpen: load.fastOpen,
    method: load.method,
    path: load.path,
    headers: load.headers,
    bodyBytes: load.bodyBytes,
    echo: false,
    warmupS: 0,
    durationS: 1,
    timeoutMs: load.timeoutMs,
    cpus,
  };
}

export function settingsOf(spec: LoadSpec, s: SweepSettings): LoadSettings {
  const { connections, threads, pipeline, keepAlive, fastOpen, method, path, bodyBytes, echo } = spec;
  return {
    generator: "native",
    connections,
    threads,
    pipeline,
    rate: null,
    keepAlive,
    fastOpen,
    method,
    path,
    bodyBytes,
    echo,
    warmupS: s.warmupS,
    durationS: s.stepS,
  };
}

function job(target: string, variant: string, subject: SweepSubject, spec: LoadSpec, s: SweepSettings): SweepJob {
  return { target, variant, subject, spec, load: settingsOf(spec, s) };
}

export function jobsFromScenario(
  sc: Scenario,
  s: SweepSettings,
  connections: number[] | undefined,
  threads: number | undefined,
): SweepJob[] {
  if (sc.mode !== "http") throw new BadInputError(`${sc.file}: mode: a sweep needs mode "http"`);
  const counts = connections ?? sc.sweep?.connections ?? [sc.load.connections];
  const cpus = sc.cpus?.client ?? null;
  const jobs: SweepJob[] = [];
  for (const t of sc.targets) {
    const def = findTarget(t.name);
    if (!def) throw new BadInputError(`${sc.file}: targets: no target named ${t.name} is registered (npm run list shows them)`);
    for (const v of t.variants) {
      if (v.load.generator !== "native" || v.load.pipeline !== 1) {
        throw new BadInputError(
          `${sc.file}: ${t.name}/${v.name}: a sweep needs the native generator without pipelining (its open loop); set load.generator "native", load.pipeline 1`,
        );
      }
      for (const c of counts) {
        const spec = specFor(v.load, "127.0.0.1", 0, c, threads ?? clientThreads(c, cpus), cpus);
        const subject: SweepSubject = { kind: "target", def, threads: t.threads, env: v.env, args: v.args };
        jobs.push(job(t.name, `${v.name === "default" ? "" : `${v.name}-`}c${c}`, subject, spec, s));
      }
    }
  }
  return jobs;
}

/** Default pinning on a machine of two or more cores: the server on the last CPU, the client on the rest. */
export function defaultPinning(cores = os.cpus().length): Pinning {
  if (cores < 2) return { server: null, client: null };
  return { server: [cores - 1], client: Array.from({ length: cores - 1 }, (_, i) => i) };
}

export interface SubjectOptions {
  subject: string;
  connections: number[];
  threads: number | undefined;
  path: string;
  pin: Pinning;
}

export function jobsFromSubject(o: SubjectOptions, load: LoadSection, s: SweepSettings): SweepJob[] {
  if (/^[a-z]+:\/\//i.test(o.subject)) {
    let u: URL;
    try {
      u = new URL(o.subject);
    } catch {
      throw new BadInputError(`<target|url>: "${o.subject}" is not a URL; expected e.g. http://127.0.0.1:8080/plaintext`);
    }
    if (u.protocol === "https:")
      throw new BadInputError("<target|url>: a sweep does not speak TLS yet; measure https:// with `load` (--ca, --insecure)");
    if (u.protocol !== "http:") throw new BadInputError(`<target|url>: only http:// is supported, got ${u.protocol}`);
    const host = u.hostname.replace(/^\[|\]$/g, "");
    const sec = { ...load, path: `${u.pathname}${u.search}` };
    return o.connections.map((c) =>
      job(
        `${host}:${u.port || 80}`,
        `c${c}`,
        { kind: "url", url: o.subject },
        specFor(sec, host, Number(u.port || 80), c, o.threads ?? clientThreads(c, o.pin.client), o.pin.client),
        s,
      ),
    );
  }
  const def = findTarget(o.subject)!;
  const sec = { ...load, path: o.path };
  return o.connections.map((c) =>
    job(
      def.name,
      `c${c}`,
      { kind: "target", def, threads: o.pin.server?.length ?? 1, env: {}, args: [] },
      specFor(sec, "127.0.0.1", 0, c, o.threads ?? clientThreads(c, o.pin.client), o.pin.client),
      s,
    ),
  );
}
