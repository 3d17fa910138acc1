// Reads result files back for compare and report: parse JSON, bring older schema versions up to
// the current one, validate with the zod schema (which derives what older files of this version
// lack: verdicts, per-repetition ratio records; src/results/upgrade.ts), and report every problem with the file's name,
// the JSON path of the field and what was expected. Nothing after the reader re-validates.
import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";

import type { z } from "zod";

import { BadInputError } from "../errors.js";
import type { Claims } from "../model/index.js";
import { RESULT_SCHEMA, ResultFileJson, type ResultFile } from "../model/index.js";
import { upgradeResult } from "./upgrade.js";
import { readBoundedText } from "../io/bounded-read.js";

export interface LoadedResult {
  /** The path it was read from, as given. */
  path: string;
  result: ResultFile;
  /** The scenario's claims (result.scenario.claims), for short. */
  claims: Claims | null;
}

/**
 * Upgrade hooks: schema id -> a function that turns a file of that version into the next one.
 * The reader applies them in a chain until it reaches RESULT_SCHEMA. Version 1 is the first, so
 * the table is empty; evbench/result@2 will add `"evbench/result@1": upgradeV1toV2` here and keep
 * old files readable.
 */
export type Upgrades = Readonly<Record<string, (raw: Record<string, unknown>) => Record<string, unknown>>>;
export const UPGRADES: Upgrades = {};

/** `$.runs[3].server.cpuPct` from zod's path array. */
export function jsonPath(p: ReadonlyArray<PropertyKey>): string {
  let s = "$";
  for (const k of p)
    s += typeof k === "number" ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(String(k)) ? `.${String(k)}` : `[${JSON.stringify(String(k))}]`;
  return s;
}

function describeIssues(file: string, prefix: ReadonlyArray<PropertyKey>, issues: z.core.$ZodIssue[]): string {
  const lines = issues.slice(0, 20).map((i) => `  ${jsonPath([...prefix, ...i.path])}: ${i.message}`);
  if (issues.length > 20) lines.push(`  ... and ${issues.length - 20} more`);
  return `${file}: not a valid evbench result file:\n${lines.join("\n")}`;
}

/** Validates already-parsed JSON; `file` names it in errors. `upgrades` is for tests of the chain. */
export function parseResult(raw: unknown, file: string, upgrades: Upgrades = UPGRADES): LoadedResult {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new BadInputError(`${file}: $: expected a JSON object (an evbench result file)`);
  }
  let obj = raw as Record<string, unknown>;
  const seen = new Set<string>();
  while (typeof obj.schema === "string" && obj.schema !== RESULT_SCHEMA) {
    const up = upgrades[obj.schema];
    if (up === undefined || seen.has(obj.schema)) break;
    seen.add(obj.schema);
    obj = up(obj);
  }
  if (obj.schema !== RESULT_SCHEMA) {
    const known = [RESULT_SCHEMA, ...Object.keys(upgrades)].map((s) => JSON.stringify(s)).join(" or ");
    throw new BadInputError(
      `${file}: $.schema: expected ${known}, received ${JSON.stringify(obj.schema)}` +
        (typeof obj.schema === "string" && obj.schema.startsWith("evbench/result@") ? " (written by a newer evbench?)" : ""),
    );
  }
  const parsed = ResultFileJson.safeParse(obj);
  if (!parsed.success) throw new BadInputError(describeIssues(file, [], parsed.error.issues));
  const result = upgradeResult(parsed.data);
  return { path: file, result, claims: result.scenario.claims };
}

export async function readResultFile(file: string): Promise<LoadedResult> {
  const text = readBoundedText(file, "result file", "result");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BadInputError(`${file}: not JSON (${(e as Error).message})`, { cause: e });
  }
  return parseResult(raw, file);
}

/** Result files (*.json) directly in `dir`, sorted by name (names start with a UTC stamp). */
export async function listResultFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".json"))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** Hardware folders under the results directory: every subfolder holding at least one *.json. */
export async function listHardwareDirs(resultsDir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(resultsDir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const out: string[] = [];
  for (const e of entries.filter((d) => d.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = path.join(resultsDir, e.name);
    if ((await listResultFiles(dir)).length > 0) out.push(dir);
  }
  return out;
}

/** Every result under the results directory (one level of hardware folders), read and validated. */
export async function readAllResults(resultsDir: string): Promise<LoadedResult[]> {
  const out: LoadedResult[] = [];
  for (const dir of await listHardwareDirs(resultsDir)) {
    for (const f of await listResultFiles(dir)) out.push(await readResultFile(f));
  }
  return out;
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
