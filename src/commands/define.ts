// One spec per command: its positionals, its options (src/commands/options.ts) and the function
// that runs it. The parser configuration and the --help text both come from the spec, so a flag
// is declared once. Adding a command is one defineCommand() call and one line in table.ts.
import type { Opt, RawValue } from "./options.js";

export type ExitCode = 0 | 1 | 2;

/** What every command returns: text for stdout (may be empty) and the exit code. */
export interface Outcome {
  text: string;
  exitCode: ExitCode;
}

/** The process around a command: streams, the invocation, and cancellation (Ctrl-C). */
export interface Context {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Whether stderr is a terminal: the live view (on stderr) redraws in place only then. */
  errIsTTY: boolean;
  /** The invocation as a person would retype it, recorded in results. */
  command: string;
  signal: AbortSignal;
}

export type Options = Record<string, Opt<unknown>>;
export type Values<O extends Options> = { [K in keyof O]: O[K] extends Opt<infer T> ? T : never };

export interface Positional {
  name: string;
  help: string;
}

export interface CommandSpec<O extends Options> {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Positionals: exactly these, or with `variadic` any number of the last one. */
  positionals: Positional[];
  variadic?: boolean;
  /** Arguments after "--" are passed through untouched (e.g. extra target flags). */
  passthrough?: string;
  /** More text after the options in --help. */
  notes?: string;
  /** Ctrl-C aborts the context's signal instead of killing the process. */
  interruptible?: boolean;
  options: O;
  run(values: Values<O>, positionals: string[], extra: string[], ctx: Context): Promise<Outcome>;
}

/** A command with its types erased, so commands of different options share one table. */
export interface Command {
  name: string;
  summary: string;
  interruptible: boolean;
  passthrough: boolean;
  positionals: Positional[];
  variadic: boolean;
  /** The option declarations, by long name. */
  options: Readonly<Record<string, Opt<unknown>>>;
  help(): string;
  /** One line (wrapped) of the README's command block: the command with every option. */
  synopsis(): string;
  /** Converts parsed raw values (already split by parseArgs in src/cli.ts) and runs. */
  execute(raw: Record<string, RawValue>, positionals: string[], extra: string[], ctx: Context): Promise<Outcome>;
}

// The one cast of the parser: TypeScript cannot follow a loop over a record's keys into a mapped
// type, and each value below comes from the declaration of the same key.
function readValues<O extends Options>(options: O, raw: Record<string, RawValue>): Values<O> {
  const out: Record<string, unknown> = {};
  for (const [key, opt] of Object.entries(options)) out[key] = opt.read(raw[key], opt.short ? `-${opt.short}/--${key}` : `--${key}`);
  return out as Values<O>;
}

export function defineCommand<O extends Options>(spec: CommandSpec<O>): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    interruptible: spec.interruptible ?? false,
    passthrough: spec.passthrough !== undefined,
    positionals: spec.positionals,
    variadic: spec.variadic ?? false,
    options: spec.options,
    help: () => helpText(spec),
    synopsis: () => synopsis(spec),
    execute: (raw, positionals, extra, ctx) => spec.run(readValues(spec.options, raw), positionals, extra, ctx),
  };
}

function optionLine(name: string, o: Opt<unknown>): [string, string] {
  const left = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.metavar ? ` ${o.metavar}` : ""}`;
  const right = o.defaultText === null ? o.help : `${o.help} (default ${o.defaultText})`;
  return [left, right];
}

function helpText<O extends Options>(spec: CommandSpec<O>): string {
  const pos = spec.positionals.map((p) => `<${p.name}>`).join(" ") + (spec.variadic ? "..." : "");
  const usage = `usage: npm run ${spec.name} -- ${pos ? `${pos} ` : ""}[options]${spec.passthrough ? ` [-- ${spec.passthrough}]` : ""}`;
  const rows: [string, string][] = [
    ...spec.positionals.map((p): [string, string] => [`<${p.name}>`, p.help]),
    ...Object.entries(spec.options).map(([k, o]) => optionLine(k, o)),
    ["-h, --help", "this text"],
    ["-V, --version", "evbench's version"],
  ];
  const width = Math.min(34, Math.max(...rows.map((r) => r[0].length)) + 2);
  const lines = rows.map(([l, r]) => (l.length >= width ? `  ${l}\n  ${" ".repeat(width)}${r}` : `  ${l.padEnd(width)}${r}`));
  return [usage, "", spec.summary, "", ...lines, ...(spec.notes ? ["", spec.notes] : [])].join("\n");
}

const SYNOPSIS_WIDTH = 120;

function synopsis<O extends Options>(spec: CommandSpec<O>): string {
  const head = `npm run ${spec.name.padEnd(8)}--${spec.positionals.map((p) => ` <${p.name}>`).join("")}${spec.variadic ? "..." : ""}`;
  const words = Object.entries(spec.options).map(([k, o]) => `[${o.short ? `-${o.short}|` : ""}--${k}${o.metavar ? ` ${o.metavar}` : ""}]`);
  if (spec.passthrough) words.push(`[-- ${spec.passthrough}]`);
  const lines = [head];
  for (const w of words) {
    if (lines[lines.length - 1]!.length + 1 + w.length > SYNOPSIS_WIDTH) lines.push(" ".repeat(24) + w);
    else lines[lines.length - 1] += ` ${w}`;
  }
  return lines.join("\n");
}
