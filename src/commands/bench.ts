// `bench <scenario>`: check the scenario and every input before anything runs, run it, print
// progress and the final table, and say where the result was written. With --json, stdout
// carries only the result file's content; the human lines go to stderr.
import { GENERATOR_NAMES, TOPOLOGIES } from "../model/index.js";
import { readFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";

import { didYouMean } from "../did-you-mean.js";
import { BadInputError } from "../errors.js";
import { GENERATORS } from "../load/registry.js";
import { RESULTS_DIR, ROOT, SCENARIOS_DIR } from "../paths.js";
import type { LiveLine } from "../run/measure-one.js";
import { runScenario, type RunnerOutcome } from "../run/runner.js";
import { runLevels } from "../scaling/run-levels.js";
import { checkLevels } from "../scaling/prepare.js";
import { levelScenario } from "../scaling/levels.js";
import { applyOverrides, checkCpus, readScenario, type Scenario } from "../scenario/load.js";
import { findTarget, TARGETS } from "../targets/registry.js";
import { prepareUserTargets } from "../targets/user-prepare.js";
import { benchTable } from "../ui/bench-table.js";
import { claimsSection } from "../ui/claims-section.js";
import { fmtBytes, fmtCount, fmtUs } from "../ui/format.js";
import { ratiosSection } from "../ui/ratios-section.js";
import { stoppingLine } from "../ui/stopping-line.js";
import { createLiveView, phaseElapsedS, type LiveView } from "../live/view.js";
import { networkText } from "../report/network.js";
import { scalingBlocks } from "../report/scaling.js";
import { renderText } from "../present/doc.js";
import { kernelText } from "../kernel/panel.js";
import { hostsOverride } from "../topology/flags.js";
import { checkNewFile, checkWritableDir } from "./checks.js";
import { defineCommand, type Context, type Outcome, type Values } from "./define.js";
import { choice, duration, flag, intOrAuto, list, parsed, str } from "./options.js";
import { bounds, boundsS, budgetText, MIN_AUTO_REPS, parseBudget, parsePrecision, RANGES } from "../model/index.js";
import { resultsDirOf, resultsDirOptions } from "./results-dir.js";

const options = {
  duration: duration({
    short: "d",
    help: "measured time per run, overrides the scenario (10s, 1m; a bare number is seconds)",
    ...boundsS(RANGES.durationS),
  }),
  warmup: duration({ help: "warm-up time, excluded from the measurement", ...boundsS(RANGES.warmupS) }),
  reps: intOrAuto({
    help: "repetitions (targets alternate inside each); auto: repeat until every ratio goal is decided and every interval within --precision, or --budget is spent",
    ...bounds(RANGES.repetitions),
  }),
  precision: parsed(
    { help: "with --reps auto: the relative half-width every interval must reach (default 5%)", metavar: "<pct>" },
    parsePrecision,
  ),
  budget: parsed(
    { help: "with --reps auto: at most this long or this many repetitions (600s, 10m, 20reps; default 20reps)", metavar: "<time|Nreps>" },
    parseBudget,
  ),
  targets: list({ help: "only these targets of the scenario" }),
  generator: choice({ help: "the load generator for every row", choices: GENERATOR_NAMES }),
  out: str({ help: "write the result to this new file (never over an existing one)", metavar: "<file>" }),
  json: flag({ help: "print the result file's content on stdout (human output goes to stderr)" }),
  profile: flag({
    help: "profile each run's window (Go: CPU, heap, GC; Node: V8 CPU) into <result-stem>.profiles/; its numbers are marked noisy",
  }),
  quiet: flag({ short: "q", help: "no live view (the per-run lines and the table are still printed)" }),
  topology: choice({ help: "local | netns (two namespaces joined by the scenario's link; root) | ssh", choices: TOPOLOGIES }),
  "server-host": str({ help: "ssh: the target's host (user@host)", metavar: "<host>" }),
  "client-hosts": str({ help: "ssh: the client hosts", metavar: "<a,b>" }),
  wide: flag({ help: "the table with every summary metric and each row's load" }),
  explain: flag({ help: "explain the table under it: memory and GC, intervals, units, verdicts" }),
  ...resultsDirOptions,
};

/** Scenario files name targets by hand: an unregistered one is refused before any run. */
function checkTargetsRegistered(s: Scenario): void {
  const unknown = s.targets.filter((t) => !t.user && !findTarget(t.name));
  if (unknown.length === 0) return;
  const names = unknown.map((t) => `"${t.name}"`).join(", ");
  const hint = didYouMean(
    unknown[0]!.name,
    TARGETS.map((t) => t.name),
  );
  throw new BadInputError(`${s.file}: unknown target ${names}${hint}; registered targets: ${TARGETS.map((t) => t.name).join(", ")}`);
}

/** wrk's habit, `bench http://...`: bench runs scenarios; a URL is for load or sweep. */
function refuseUrl(arg: string): void {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) return;
  throw new BadInputError(
    `bench ${arg}: bench runs a scenario (npm run list); to load a running server use npm run load -- ${arg}, to find its capacity npm run sweep -- ${arg} --slo p99=10ms`,
  );
}

/** Every check that can fail is made here, before the first measurement. */
export function prepareBench(v: Values<typeof options>, scenarioName: string): Scenario {
  refuseUrl(scenarioName);
  if (v.out !== undefined) checkNewFile(v.out, "--out");
  const scenario = applyOverrides(readScenario(scenarioName, SCENARIOS_DIR), {
    durationS: v.duration,
    warmupS: v.warmup,
    repetitions: v.reps,
    precision: v.precision,
    budget: v.budget,
    targets: v.targets,
    generator: v.generator,
    hosts: hostsOverride(v.topology, v["server-host"], v["client-hosts"]),
  });
  checkTargetsRegistered(scenario);
  checkCpus(scenario, os.cpus().length);
  checkLevels(scenario);
  if (scenario.scaling && scenario.autoReps)
    throw new BadInputError(
      `--reps auto does not apply to ${scenario.name}: its connection levels run a fixed count; give --reps a number`,
    );
  if (scenario.scaling && v.warmup !== undefined)
    throw new BadInputError(
      `--warmup does not apply to ${scenario.name}: a scenario with connection levels warms up for scaling.rampS + scaling.holdS; change those in the scenario`,
    );
  if (v.out === undefined) checkWritableDir(resultsDirOf(v), "results folder");
  // Connection levels: the warm-up is the ramp plus the hold (printed and shown live as such).
  const levelled = scenario.scaling ? levelScenario(scenario, scenario.scaling) : scenario;
  return prepareUserTargets(levelled); // found and built (issue 23), before the first run
}

function repsText(s: Scenario): string {
  if (!s.autoReps) return `${s.repetitions} rep(s)`;
  return `auto reps (${MIN_AUTO_REPS} or more, until every goal is decided and every interval within ±${(s.autoReps.precision * 100).toFixed(1)} %, at most ${budgetText(s.autoReps.budget)})`;
}

/** The runner's live lines into the live view (stderr: in place on a terminal, else plain lines). */
function liveOf(view: LiveView, scenario: Scenario): (l: LiveLine) => void {
  return (l) =>
    view.update({
      label: `${l.target}${l.variant === "default" ? "" : `/${l.variant}`} rep ${l.rep + 1}/${scenario.autoReps ? `auto, at most ${budgetText(scenario.autoReps.budget)}` : scenario.repetitions}`,
      phase: l.phase,
      elapsedS: phaseElapsedS(l.phase, l.elapsedS, scenario.warmupS),
      totalS: l.phase === "warmup" ? scenario.warmupS : scenario.durationS,
      rps: l.rps,
      p99Us: l.p99Us,
      p99Of: "window so far",
      errors: null,
      extra: l.rssBytes === null ? "" : `rss ${fmtBytes(l.rssBytes)}`,
    });
}

type RunDone = Parameters<NonNullable<Parameters<typeof runScenario>[0]["onRunDone"]>>[0];

/** A run's verdict beside its numbers: "" when valid. */
function verdictSuffix(r: RunDone): string {
  if (r.status !== "ok" || !r.verdict || r.verdict.verdict === "valid") return "";
  return ` ${r.verdict.verdict.toUpperCase()}: ${r.verdict.reasons.map((x) => x.message).join("; ")}`;
}

function runDoneLine(r: RunDone): string {
  const name = `${r.target}${r.variant === "default" ? "" : `/${r.variant}`} rep ${r.rep + 1}`;
  if (r.status === "ok") {
    return `  ${name}: ${fmtCount(r.rps)} req/s, p99 ${r.requests > 0 ? fmtUs(r.latencyUs.p99) : "-"}, RSS peak ${fmtBytes(r.server.rssPeakBytes)}, server CPU ${r.server.cpuPct.toFixed(0)}%, client CPU ${r.client.cpuPct.toFixed(0)}%${verdictSuffix(r)}`;
  }
  if (r.status === "skipped") return `  ${name}: skipped: ${r.reason}`;
  return `  ${name}: FAILED: ${r.failure}`;
}

/** Goals --reps auto could not decide within its budget: the answer asked for is not known (exit 1). */
function undecidedGoals(outcome: RunnerOutcome): number {
  return outcome.interrupted ? 0 : outcome.result.ratios.filter((r) => r.verdict === "undecided").length;
}

/** --reps auto where every repetition was run again (slow-phase) until the budget was spent:
 *  nothing counted, so nothing measures the server (exit 1), however valid each run looks. */
function noCountedReps(outcome: RunnerOutcome): boolean {
  const s = outcome.result.stopping;
  return !outcome.interrupted && s !== undefined && s.reps === 0;
}

const NO_COUNTED_REPS =
  "no repetition counted: every one ran in a slow phase (the machine-speed probe, src/verdict/slow-phase.ts) and the budget is spent; " +
  "nothing here measures the server: run again on a quieter machine, with a larger --budget, or with a fixed --reps (its rows then say noisy)";

function finalSections(outcome: RunnerOutcome, v: Values<typeof options>): string[] {
  const sections = [
    benchTable(outcome.result, { wide: v.wide, explain: v.explain }),
    ratiosSection(outcome.result),
    networkText(outcome.result),
    kernelText(outcome.result),
    claimsSection(outcome.result),
    renderText(scalingBlocks(outcome.result)),
  ].filter(Boolean);
  const lines = ["", sections.join("\n\n"), ""];
  const stopping = stoppingLine(outcome.result);
  if (stopping) lines.push(stopping);
  const undecided = undecidedGoals(outcome);
  if (undecided > 0)
    lines.push(
      `${undecided} goal(s) undecided at the budget: neither pass nor fail; more repetitions (--budget) or a quieter machine would decide them`,
    );
  if (noCountedReps(outcome)) lines.push(NO_COUNTED_REPS);
  if (outcome.interrupted) lines.push("interrupted: the partial result was kept");
  if (outcome.failedRuns > 0) lines.push(`${outcome.failedRuns} run(s) failed; see the table and the result file`);
  if (outcome.invalidRuns > 0)
    lines.push(`${outcome.invalidRuns} run(s) invalid: their numbers do not measure the server (see their reasons)`);
  lines.push(`result: ${outcome.file}`);
  const profiled = outcome.result.runs.find((r) => r.status === "ok" && r.profile?.cpu);
  if (profiled?.status === "ok")
    lines.push(`profiles: ${join(dirname(outcome.file), dirname(profiled.profile!.cpu!))} (npm run report shows their top functions)`);
  return lines;
}

async function runBench(v: Values<typeof options>, positionals: string[], _extra: string[], ctx: Context): Promise<Outcome> {
  const scenario = prepareBench(v, positionals[0]!);
  const view = createLiveView(
    { write: (x) => process.stderr.write(x), isTTY: ctx.errIsTTY, columns: process.stderr.columns ?? 80 },
    v.quiet,
  );
  // A line printed while the block is drawn would be overdrawn: clear the block first.
  const say = (line: string) => {
    view.done();
    (v.json ? ctx.err : ctx.out)(line);
  };
  const gens = [...new Set(scenario.targets.flatMap((t) => t.variants.map((x) => x.load.generator)))];
  say(
    `evbench: ${scenario.name}: ${scenario.targets.map((t) => t.name).join(", ")}; ${repsText(scenario)} x ${scenario.durationS}s (+${scenario.warmupS}s warm-up), generator ${gens.join(", ")}`,
  );
  const runner = scenario.scaling ? (o: Parameters<typeof runScenario>[0]) => runLevels(o, scenario.scaling!) : runScenario;
  const outcome = await runner({
    scenario,
    generators: GENERATORS,
    host: "127.0.0.1",
    resultsDir: resultsDirOf(v),
    outPath: v.out ?? null,
    command: ctx.command,
    repoRoot: ROOT,
    signal: ctx.signal,
    onLive: liveOf(view, scenario),
    onRunDone: (r) => say(runDoneLine(r)),
    profile: v.profile === true,
  });
  for (const l of finalSections(outcome, v)) say(l);
  const text = v.json ? readFileSync(outcome.file, "utf8").replace(/\n$/, "") : "";
  const failed =
    outcome.failedRuns > 0 || outcome.invalidRuns > 0 || outcome.interrupted || undecidedGoals(outcome) > 0 || noCountedReps(outcome);
  return { text, exitCode: failed ? 1 : 0 };
}

export const benchSpec = defineCommand({
  name: "bench",
  summary: "run a scenario, write <results>/<hardware-id>/<stamp>-<scenario>.json",
  positionals: [{ name: "scenario", help: "a name under scenarios/ (npm run list) or a path to a .json file" }],
  interruptible: true,
  notes: `Ctrl-C stops the runs and keeps the partial result; a second Ctrl-C leaves at once.\nResults go to ${join(RESULTS_DIR, "<hardware-id>")} unless --out or --publish says otherwise.`,
  options,
  run: runBench,
});
