// Option declarations: each option is declared once (name, short flag, type, default, range,
// help) and turns its raw argv value into a typed value or a BadInputError naming the flag and
// the fix. The parser configuration and the --help text are both derived from these objects.
import os from "node:os";

import { BadInputError } from "../errors.js";

/** What node:util parseArgs hands over for one option. */
export type RawValue = string | boolean | (string | boolean)[] | undefined;

export interface Opt<T> {
  readonly type: "boolean" | "string";
  readonly multiple: boolean;
  readonly short: string | undefined;
  readonly help: string;
  /** The value's placeholder in --help ("<n>"); "" for flags. */
  readonly metavar: string;
  /** What --help says the default is; null when there is none. */
  readonly defaultText: string | null;
  read(raw: RawValue, flag: string): T;
}

interface Common {
  short?: string;
  help: string;
  metavar?: string;
}

interface Range {
  min?: number;
  max?: number;
}

type Convert<T> = (s: string, flag: string) => T;

function firstString(raw: RawValue): string | undefined {
  if (Array.isArray(raw)) {
    const last = raw[raw.length - 1];
    return typeof last === "string" ? last : undefined;
  }
  return typeof raw === "string" ? raw : undefined;
}

function valueOpt<T, D>(c: Common, metavar: string, convert: Convert<T>, dflt: D, defaultText: string | null): Opt<T | D> {
  return {
    type: "string",
    multiple: false,
    short: c.short,
    help: c.help,
    metavar: c.metavar ?? metavar,
    defaultText,
    read(raw, flag) {
      const s = firstString(raw);
      return s === undefined ? dflt : convert(s, flag);
    },
  };
}

function rangeText(r: Range, unit = ""): string {
  if (r.min !== undefined && r.max !== undefined) return `${r.min}${unit}..${r.max}${unit}`;
  if (r.min !== undefined) return `>= ${r.min}${unit}`;
  if (r.max !== undefined) return `<= ${r.max}${unit}`;
  return "";
}

function checkRange(n: number, r: Range, flag: string, raw: string, unit = "", hint = ""): number {
  if ((r.min !== undefined && n < r.min) || (r.max !== undefined && n > r.max)) {
    throw new BadInputError(`${flag} ${raw}: out of range; expected ${rangeText(r, unit)}${hint}`);
  }
  return n;
}

function toInt(r: Range): Convert<number> {
  return (s, flag) => {
    const n = Number(s);
    if (s.trim() === "" || !Number.isInteger(n))
      throw new BadInputError(`${flag} "${s}": expected a whole number ${rangeText(r)}`.trimEnd());
    return checkRange(n, r, flag, s);
  };
}

function toNumber(r: Range): Convert<number> {
  return (s, flag) => {
    const n = Number(s);
    if (s.trim() === "" || !Number.isFinite(n)) throw new BadInputError(`${flag} "${s}": expected a number ${rangeText(r)}`.trimEnd());
    return checkRange(n, r, flag, s);
  };
}

export function int(c: Common & Range & { default: number }): Opt<number>;
export function int(c: Common & Range): Opt<number | undefined>;
export function int(c: Common & Range & { default?: number }): Opt<number | undefined> {
  return valueOpt(c, "<n>", toInt(c), c.default, c.default === undefined ? null : String(c.default));
}

/** A whole number in range, or "auto" (--reps auto). */
export function intOrAuto(c: Common & Range): Opt<number | "auto" | undefined> {
  const n = toInt(c);
  return valueOpt(c, "<n|auto>", (s, flag) => (s.trim() === "auto" ? "auto" : n(s, flag)), undefined, null);
}

/** A value read by a parser of the model that returns the value or what is wrong with the text. */
export function parsed<T>(c: Common & { metavar: string }, parse: (s: string) => T | string): Opt<T | undefined> {
  return valueOpt(
    c,
    c.metavar,
    (s, flag) => {
      const r = parse(s);
      if (typeof r === "string") throw new BadInputError(`${flag} ${r}`);
      return r;
    },
    undefined,
    null,
  );
}

export function num(c: Common & Range & { default: number }): Opt<number>;
export function num(c: Common & Range): Opt<number | undefined>;
export function num(c: Common & Range & { default?: number }): Opt<number | undefined> {
  return valueOpt(c, "<x>", toNumber(c), c.default, c.default === undefined ? null : String(c.default));
}

const DURATION = /^(\d+(?:\.\d*)?|\.\d+)(ms|s|m|h)?$/;
const UNIT_S: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** "10s", "1m", "500ms", "1.5h"; a bare number is seconds (as wrk reads it). Returns seconds. */
export function parseDurationS(s: string, flag: string): number {
  const m = DURATION.exec(s.trim());
  if (!m) throw new BadInputError(`${flag} "${s}": expected a duration such as 10s, 1m or 500ms (a bare number is seconds)`);
  return Number(m[1]) * UNIT_S[m[2] ?? "s"]!;
}

function fmtDuration(sec: number): string {
  if (sec > 0 && sec < 1) return `${Math.round(sec * 1000)}ms`;
  if (sec >= 60 && sec % 60 === 0) return `${sec / 60}m`;
  return `${sec}s`;
}

/** A duration in seconds; range in seconds. A bare number is seconds. */
export function duration(c: Common & { minS?: number; maxS?: number; default: number }): Opt<number>;
export function duration(c: Common & { minS?: number; maxS?: number }): Opt<number | undefined>;
export function duration(c: Common & { minS?: number; maxS?: number; default?: number }): Opt<number | undefined> {
  const convert: Convert<number> = (s, flag) => {
    const sec = parseDurationS(s, flag);
    const r = { min: c.minS, max: c.maxS };
    const bare = /^[\d.]+$/.test(s.trim());
    const hint = bare && c.maxS !== undefined && sec > c.maxS ? ` (a bare number is seconds: for milliseconds write ${s}ms)` : "";
    if ((r.min !== undefined && sec < r.min) || (r.max !== undefined && sec > r.max)) {
      throw new BadInputError(
        `${flag} ${s}: out of range; expected ${fmtDuration(r.min ?? 0)}..${r.max === undefined ? "" : fmtDuration(r.max)}${hint}`,
      );
    }
    return sec;
  };
  return valueOpt(c, "<time>", convert, c.default, c.default === undefined ? null : fmtDuration(c.default));
}

const RATE = /^(\d+(?:\.\d*)?|\.\d+)(k|K|M)?(\/s)?$/;
const RATE_UNIT: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6 };

/** Events per second: 20000, 20k, 20k/s, 1.5M/s (decimal units). */
export function rate(c: Common & Range): Opt<number | undefined> {
  const convert: Convert<number> = (s, flag) => {
    const m = RATE.exec(s.trim());
    if (!m) throw new BadInputError(`${flag} "${s}": expected a rate such as 500, 20k/s or 1.5M/s (per second)`);
    return checkRange(Number(m[1]) * (m[2] ? RATE_UNIT[m[2]]! : 1), c, flag, s, "/s");
  };
  return valueOpt(c, "<n/s>", convert, undefined, null);
}

const SIZE = /^(\d+)(k|K|KiB|m|M|MiB)?$/;
const SIZE_UNIT: Record<string, number> = { k: 1024, K: 1024, KiB: 1024, m: 1 << 20, M: 1 << 20, MiB: 1 << 20 };

/** Bytes: 1024, 1k / 1KiB (1024), 1M / 1MiB (binary units). */
export function size(c: Common & Range & { default: number }): Opt<number> {
  const convert: Convert<number> = (s, flag) => {
    const m = SIZE.exec(s.trim());
    if (!m) throw new BadInputError(`${flag} "${s}": expected a size in bytes such as 1024, 1KiB or 1MiB`);
    return checkRange(Number(m[1]) * (m[2] ? SIZE_UNIT[m[2]]! : 1), c, flag, s, " bytes");
  };
  return valueOpt(c, "<bytes>", convert, c.default, String(c.default));
}

export function str(c: Common & { default: string }): Opt<string>;
export function str(c: Common): Opt<string | undefined>;
export function str(c: Common & { default?: string }): Opt<string | undefined> {
  return valueOpt(c, "<s>", (s) => s, c.default, c.default ?? null);
}

export function choice<const C extends string>(c: Common & { choices: readonly C[]; default: C }): Opt<C>;
export function choice<const C extends string>(c: Common & { choices: readonly C[] }): Opt<C | undefined>;
export function choice<const C extends string>(c: Common & { choices: readonly C[]; default?: C }): Opt<C | undefined> {
  const convert: Convert<C> = (s, flag) => {
    const found = c.choices.find((x) => x === s);
    if (found === undefined) throw new BadInputError(`${flag} "${s}": expected one of ${c.choices.join(", ")}`);
    return found;
  };
  return valueOpt(c, `<${c.choices.join("|")}>`, convert, c.default, c.default ?? null);
}

/** A comma-separated list of names; an empty list is refused (it would select nothing). */
export function list(c: Common): Opt<string[] | undefined> {
  const convert: Convert<string[]> = (s, flag) => {
    const names = s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
    if (names.length === 0) throw new BadInputError(`${flag} "${s}": empty; name at least one, e.g. ${flag} a,b`);
    return names;
  };
  return valueOpt(c, "<a,b>", convert, undefined, null);
}

/** Whole numbers in range, comma-separated: 16 or 16,256. */
export function intList(c: Common & Range): Opt<number[] | undefined> {
  const one = toInt(c);
  const convert: Convert<number[]> = (s, flag) => {
    const parts = s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
    if (parts.length === 0) throw new BadInputError(`${flag} "${s}": empty; give at least one number, e.g. ${flag} 16,256`);
    return parts.map((p) => one(p, flag));
  };
  return valueOpt(c, "<n,m>", convert, undefined, null);
}

/** CPU numbers this machine has, e.g. 0 or 0,1 or 0-3. */
export function cpus(c: Common): Opt<number[] | null> {
  const convert: Convert<number[]> = (s, flag) => {
    const have = os.cpus().length;
    const out: number[] = [];
    for (const part of s.split(",")) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
      if (!m) throw new BadInputError(`${flag} "${s}": expected CPU numbers such as 0, 0,1 or 0-3`);
      for (let i = Number(m[1]); i <= Number(m[2] ?? m[1]); i++) out.push(i);
    }
    const missing = out.filter((x) => x >= have);
    if (missing.length > 0) {
      throw new BadInputError(`${flag} ${s}: CPU ${missing.join(", ")} does not exist here; this machine has CPUs 0..${have - 1}`);
    }
    return [...new Set(out)];
  };
  return valueOpt(c, "<cpus>", convert, null, "not pinned");
}

export function flag(c: Common): Opt<boolean> {
  return {
    type: "boolean",
    multiple: false,
    short: c.short,
    help: c.help,
    metavar: "",
    defaultText: null,
    read: (raw) => raw === true || (Array.isArray(raw) && raw.includes(true)),
  };
}

/** An option that may be given many times (-H a -H b), in order. */
export function repeat(c: Common): Opt<string[]> {
  return {
    type: "string",
    multiple: true,
    short: c.short,
    help: c.help,
    metavar: c.metavar ?? "<s>",
    defaultText: null,
    read: (raw) => (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((x): x is string => typeof x === "string"),
  };
}
