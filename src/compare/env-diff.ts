// Why two results might not be comparable: different hardware, environment, scenario settings,
// or runs where the client, not the server, was the limit. Each warning names what differs.
import { budgetText, CERTIFICATE_DEFAULT, LOAD_DEFAULTS, type ResultFile } from "../model/index.js";

/** Leaf values of a JSON value keyed by dotted path, for a field-by-field diff. */
function flatten(v: unknown, prefix: string, out: Map<string, string>): void {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, JSON.stringify(v));
  }
}

function diffFields(a: unknown, b: unknown, skip: (key: string) => boolean): string[] {
  const fa = new Map<string, string>();
  const fb = new Map<string, string>();
  flatten(a, "", fa);
  flatten(b, "", fb);
  const keys = [...new Set([...fa.keys(), ...fb.keys()])].filter((k) => !skip(k)).sort();
  const out: string[] = [];
  for (const k of keys) {
    const x = fa.get(k);
    const y = fb.get(k);
    if (x !== y) out.push(`${k}: ${x ?? "(absent)"} -> ${y ?? "(absent)"}`);
  }
  return out;
}

/** Environment fields that say which machine and which software measured (hostname excluded:
 *  two hosts of one hardware id are the same kind of machine; hardwareId has its own warning). */
export function environmentDifferences(a: ResultFile, b: ResultFile): string[] {
  return diffFields(a.env, b.env, (k) => k === "hostname" || k === "hardwareId");
}

/** Load fields added after results were first stored (issue 24): absent means their default, so
 *  an older file and a newer one with the same load are not reported as differing. */
const LATER_LOAD_FIELDS = {
  tls: LOAD_DEFAULTS.tls,
  h2: LOAD_DEFAULTS.h2,
  streams: LOAD_DEFAULTS.streams,
  tlsResume: LOAD_DEFAULTS.tlsResume,
  tlsEarlyData: LOAD_DEFAULTS.tlsEarlyData,
};

function withLaterDefaults(s: ResultFile["scenario"]): unknown {
  const load = <T extends object>(l: T) => ({ ...LATER_LOAD_FIELDS, ...l });
  return {
    certificate: { ...CERTIFICATE_DEFAULT, cert: null, key: null },
    ...s,
    load: load(s.load),
    targets: s.targets.map((t) => ({ ...t, variants: t.variants.map((v) => ({ ...v, load: load(v.load) })) })),
  };
}

/** Scenario settings that change what is measured (description and claims do not; nor does the
 *  repetition count, said apart by repetitionsNote: each side's intervals and tests use its own). */
export function scenarioDifferences(a: ResultFile, b: ResultFile): string[] {
  const skip = (k: string) =>
    k === "description" || k.startsWith("claims.") || k === "$schema" || k === "repetitions" || k.startsWith("autoReps");
  return diffFields(withLaterDefaults(a.scenario), withLaterDefaults(b.scenario), skip);
}

/** "3 (auto ±5.0 %, budget 20 reps: stopped decided)" or "5". */
function repsOf(r: ResultFile): string {
  const s = r.stopping;
  if (!s) return String(r.scenario.repetitions);
  return `${s.reps} (auto ±${(s.precision * 100).toFixed(1)} %, budget ${budgetText(s.budget)}: stopped ${s.stop})`;
}

/** Two results of different repetition counts compare as they are; the line says so. */
export function repetitionsNote(a: ResultFile, b: ResultFile): string | null {
  const [x, y] = [repsOf(a), repsOf(b)];
  return x === y ? null : `repetitions differ: old ${x}, new ${y}; each side's intervals and the tests use its own count`;
}

/** "gnet/default reps 1, 3" for every row with client-bound repetitions (numbered from 1, as bench prints them). */
export function clientBoundRuns(r: ResultFile): string[] {
  const byRow = new Map<string, number[]>();
  for (const run of r.runs) {
    if (run.status !== "ok" || !run.client.clientBound) continue;
    const key = `${run.target}/${run.variant}`;
    byRow.set(key, [...(byRow.get(key) ?? []), run.rep + 1]);
  }
  return [...byRow].map(([k, reps]) => `${k} (rep${reps.length > 1 ? "s" : ""} ${reps.join(", ")})`);
}

export function comparisonWarnings(oldR: ResultFile, newR: ResultFile): string[] {
  const w: string[] = [];
  if (oldR.env.hardwareId !== newR.env.hardwareId) {
    w.push(`different hardware ids: ${oldR.env.hardwareId} vs ${newR.env.hardwareId}; absolute numbers do not travel between machines`);
  }
  const env = environmentDifferences(oldR, newR);
  if (env.length > 0) w.push(`environments differ: ${env.join("; ")}`);
  const sc = scenarioDifferences(oldR, newR);
  if (sc.length > 0) w.push(`scenario settings differ: ${sc.join("; ")}`);
  const reps = repetitionsNote(oldR, newR);
  if (reps) w.push(reps);
  for (const [side, r] of [
    ["old", oldR],
    ["new", newR],
  ] as const) {
    const cb = clientBoundRuns(r);
    if (cb.length > 0)
      w.push(`${side} has client-bound runs (the client's CPU was saturated: the number describes the client): ${cb.join("; ")}`);
    if (r.completeness === "partial") w.push(`${side} is a partial result (the run was interrupted)`);
    const failed = r.runs.filter((x) => x.status === "failed").map((x) => `${x.target}/${x.variant} rep ${x.rep + 1}`);
    if (failed.length > 0) w.push(`${side} has failed runs, left out: ${failed.join("; ")}`);
  }
  if (oldR.git.dirty === true || newR.git.dirty === true) {
    const which = [oldR.git.dirty ? "old" : "", newR.git.dirty ? "new" : ""].filter(Boolean).join(" and ");
    w.push(`${which} ${which.includes(" and ") ? "were" : "was"} measured from a work tree with uncommitted changes`);
  }
  return w;
}
