#!/usr/bin/env node
// The command line: the only file that parses argv or calls process.exit. Each command's options
// are declared once in its spec (src/commands/table.ts); this file splits argv with them, runs
// the command and turns its outcome into an exit code: 0 ok, 1 a run failed or was invalid or a
// gate tripped, 2 bad input (one line naming what is wrong and the fix, never a stack trace).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";

import type { Command, Context, Outcome } from "./commands/define.js";
import type { RawValue } from "./commands/options.js";
import { COMMANDS, findCommand, mainHelp } from "./commands/table.js";
import { didYouMean } from "./did-you-mean.js";
import { BadInputError } from "./errors.js";
import { describeWriteError, guardStdout, writeStdout } from "./io/stdout.js";
import { ROOT } from "./paths.js";
import { reapAll } from "./proc/reaper.js";
import { gitState } from "./results/env.js";

function version(): string {
  const pkg: unknown = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const v = typeof pkg === "object" && pkg !== null && "version" in pkg ? String(pkg.version) : "unknown";
  // The commit says which code measured: a version number alone spans many commits.
  const git = gitState(ROOT);
  const commit =
    git.commit === null
      ? "commit unknown (not a git checkout)"
      : `commit ${git.commit.slice(0, 12)}${git.dirty ? " with local changes" : ""}`;
  return `evbench ${v} (${commit}, node ${process.version})`;
}

function parserConfig(cmd: Command): NonNullable<ParseArgsConfig["options"]> {
  const config: NonNullable<ParseArgsConfig["options"]> = {
    help: { type: "boolean", short: "h" },
    version: { type: "boolean", short: "V" },
  };
  for (const [name, o] of Object.entries(cmd.options)) {
    config[name] = o.short ? { type: o.type, multiple: o.multiple, short: o.short } : { type: o.type, multiple: o.multiple };
  }
  return config;
}

/** parseArgs' messages rewritten as one line with the fix. */
function parseError(cmd: Command, e: unknown): BadInputError {
  const message = e instanceof Error ? e.message : String(e);
  const code = e instanceof Error && "code" in e && typeof e.code === "string" ? e.code : "";
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? "";
  const more = `npm run ${cmd.name} -- --help lists its options`;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const known = [...Object.keys(cmd.options), "help", "version"].map((n) => `--${n}`);
    const hint = quoted.startsWith("--") ? didYouMean(quoted.split("=")[0]!, known) : "";
    return new BadInputError(`${cmd.name}: unknown option ${quoted}${hint}; ${more}`);
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const takes = message.includes("does not take an argument")
      ? "takes no value"
      : "needs a value (a value starting with - is read as an option)";
    return new BadInputError(`${cmd.name}: ${quoted.replace(/ <value>$/, "")} ${takes}; ${more}`);
  }
  return new BadInputError(`${cmd.name}: ${message.split(". ")[0]}; ${more}`);
}

interface Split {
  raw: Record<string, RawValue>;
  positionals: string[];
  extra: string[];
}

function splitArgs(cmd: Command, args: string[]): Split {
  const dash = cmd.passthrough ? args.indexOf("--") : -1;
  const own = dash >= 0 ? args.slice(0, dash) : args;
  const extra = dash >= 0 ? args.slice(dash + 1) : [];
  try {
    const r = parseArgs({ args: own, options: parserConfig(cmd), allowPositionals: true, strict: true });
    return { raw: r.values, positionals: r.positionals, extra };
  } catch (e) {
    throw parseError(cmd, e);
  }
}

function checkPositionals(cmd: Command, positionals: string[]): void {
  // A variadic command checks its own counts (compare: two files or --git; report: any).
  if (cmd.variadic || positionals.length === cmd.positionals.length) return;
  const names = cmd.positionals.map((p) => `<${p.name}>`).join(" ") || "no arguments";
  const got = positionals.length === 0 ? "none" : positionals.map((p) => `"${p}"`).join(" ");
  throw new BadInputError(`${cmd.name}: expected ${names}, got ${got}; npm run ${cmd.name} -- --help explains it`);
}

/** Ctrl-C or SIGTERM: the first stops what runs (the command keeps what it has), a second leaves. */
// The first one aborts the command's signal: cancellation flows down (the run under way stops its
// client and its target and is recorded as interrupted). The reaper runs only on the way out.
function interruptOnSignals(controller: AbortController, say: (s: string) => void): void {
  let signals = 0;
  const onSignal = () => {
    if (++signals > 1) {
      reapAll(); // leaving at once: take every child group along
      process.exit(1);
    }
    say("\ninterrupted: stopping (the partial result is kept); a second Ctrl-C leaves at once");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

function context(cmd: Command, args: string[]): Context {
  const controller = new AbortController();
  const err = (s: string) => void process.stderr.write(s + "\n");
  if (cmd.interruptible) interruptOnSignals(controller, err);
  return {
    out: (s) => void process.stdout.write(s + "\n"),
    err,
    errIsTTY: process.stderr.isTTY === true,
    command: `npm run ${cmd.name} -- ${args.join(" ")}`.trim(),
    signal: controller.signal,
  };
}

/** Whether the command measures (its output is a measurement that must not be lost). */
function measures(argv: string[]): boolean {
  return findCommand(argv[0] ?? "")?.interruptible === true;
}

/** stdout failed (/dev/full, a closed pipe): one line, the output on stderr instead; exit 1 when
 * a run was measured (its result stands), 2 otherwise (nothing was measured: fix the output). */
function stdoutFailed(e: NodeJS.ErrnoException, text: string, measured: boolean): void {
  const then = measured
    ? "the run was measured: its output follows on stderr, exit 1"
    : "its output follows on stderr; send stdout somewhere writable";
  process.stderr.write(`evbench: cannot write to stdout (${describeWriteError(e)}); ${then}\n${text}`);
  process.exitCode = measured ? 1 : 2;
}

/** `npm run <command>` runs this file in the package root and leaves where the user typed it in
 *  INIT_CWD: go back there, so a relative path on the command line means what the user meant.
 *  Only for the command's own npm script (under `npm test`, a child keeps the cwd it was given). */
function enterUserFolder(command: string | undefined): void {
  const typedIn = process.env["INIT_CWD"];
  if (typedIn && command !== undefined && process.env["npm_lifecycle_event"] === command && existsSync(typedIn)) process.chdir(typedIn);
}

async function main(argv: string[]): Promise<Outcome> {
  const [name, ...args] = argv;
  enterUserFolder(name);
  if (name === undefined) return { text: mainHelp(), exitCode: 2 };
  if (name === "--help" || name === "-h" || name === "help") return { text: mainHelp(), exitCode: 0 };
  if (name === "--version" || name === "-V") return { text: version(), exitCode: 0 };
  const cmd = findCommand(name);
  if (!cmd) {
    const hint = didYouMean(
      name,
      COMMANDS.map((c) => c.name),
    );
    throw new BadInputError(`unknown command "${name}"${hint}; node dist/cli.js --help lists the commands`);
  }
  const { raw, positionals, extra } = splitArgs(cmd, args);
  if (raw["help"] === true) return { text: cmd.help(), exitCode: 0 };
  if (raw["version"] === true) return { text: version(), exitCode: 0 };
  checkPositionals(cmd, positionals);
  return cmd.execute(raw, positionals, extra, context(cmd, args));
}

guardStdout();
main(process.argv.slice(2)).then(
  async (o) => {
    const text = o.text && !o.text.endsWith("\n") ? o.text + "\n" : o.text;
    process.exitCode = o.exitCode;
    const failed = await writeStdout(text);
    if (failed) stdoutFailed(failed, text, measures(process.argv.slice(2)));
  },
  (e: unknown) => {
    if (e instanceof BadInputError) {
      process.stderr.write(`evbench: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`evbench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
