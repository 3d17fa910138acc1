// The command table: every command of the CLI, in the order --help lists them. A new command is
// one spec (src/commands/define.ts) and one line here.
import { benchSpec } from "./bench.js";
import { compareSpec } from "./compare.js";
import type { Command } from "./define.js";
import { doctorSpec } from "./doctor.js";
import { histSpec } from "./hist.js";
import { initSpec } from "./init.js";
import { listSpec } from "./list.js";
import { loadSpec } from "./load.js";
import { sweepSpec } from "./sweep.js";
import { reportSpec } from "./report.js";
import { targetSpec } from "./target.js";

export const COMMANDS: readonly Command[] = [
  benchSpec,
  targetSpec,
  loadSpec,
  sweepSpec,
  histSpec,
  compareSpec,
  reportSpec,
  listSpec,
  doctorSpec,
  initSpec,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    "evbench: an honest benchmark harness for event-loop network servers",
    "",
    "usage: npm run <command> -- [options]        (or: node dist/cli.js <command> [options])",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "--help after a command explains it; --version prints the version.",
    "Durations take units (500ms, 10s, 1m, 1h); a bare number is seconds.",
    "--json prints exactly one JSON document on stdout (use npm run -s, or node dist/cli.js, for clean stdout).",
    "Exit codes: 0 ok, 1 a run failed or was invalid or a gate tripped, 2 bad input.",
  ].join("\n");
}
