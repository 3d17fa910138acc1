// `bench <scenario>`: load and check the scenario, run it, print live lines and the final
// table, and report where the result was written. Returns the exit code.
import os from "node:os";

import { GENERATORS } from "../load/registry.js";
import { RESULTS_DIR, ROOT, SCENARIOS_DIR } from "../paths.js";
import type { LiveLine } from "../run/measure-one.js";
import { runScenario } from "../run/runner.js";
import { applyOverrides, checkCpus, readScenario, type Overrides } from "../scenario/load.js";
import { benchTable } from "../ui/bench-table.js";
import { networkText } from "../report/network.js"; // netns (issue 16)
import { claimsSection } from "../ui/claims-section.js";
import { fmtBytes, fmtCount, fmtUs } from "../ui/format.js";
import { ratiosSection } from "../ui/ratios-section.js";

export interface BenchOptions {
  scenario: string;
  overrides: Overrides;
  outPath: string | null;
  json: boolean;
  command: string;
  signal: AbortSignal;
}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export async function benchCommand(o: BenchOptions, io: Io): Promise<number> {
  const scenario = applyOverrides(readScenario(o.scenario, SCENARIOS_DIR), o.overrides);
  checkCpus(scenario, os.cpus().length);
  const gens = [...new Set(scenario.targets.flatMap((t) => t.variants.map((v) => v.load.generator)))];
  // With --json, stdout carries only the path; the human-readable lines go to stderr.
  const say = o.json ? io.err : io.out;
  say(
    `evbench: ${scenario.name}: ${scenario.targets.map((t) => t.name).join(", ")}; ${scenario.repetitions} rep(s) x ${scenario.durationS}s (+${scenario.warmupS}s warm-up), generator ${gens.join(", ")}`,
  );
  const lastPrint = new Map<string, number>();
  const onLive = (l: LiveLine) => {
    const key = `${l.target}/${l.variant}/${l.rep}`;
    const now = Date.now();
    if (now - (lastPrint.get(key) ?? 0) < 950) return;
    lastPrint.set(key, now);
    say(
      `  ${l.target}${l.variant === "default" ? "" : `/${l.variant}`} rep ${l.rep + 1} ${l.phase.padEnd(7)} ${l.elapsedS.toFixed(0).padStart(3)}s  ${fmtCount(l.rps).padStart(7)} req/s  p99 ${l.p99Us === null ? "-" : fmtUs(l.p99Us)}  rss ${l.rssBytes === null ? "-" : fmtBytes(l.rssBytes)}`,
    );
  };
  const outcome = await runScenario({
    scenario,
    generators: GENERATORS,
    host: "127.0.0.1",
    resultsDir: RESULTS_DIR,
    outPath: o.outPath,
    command: o.command,
    repoRoot: ROOT,
    signal: o.signal,
    onLive,
    onRunDone: (r) => {
      const name = `${r.target}${r.variant === "default" ? "" : `/${r.variant}`} rep ${r.rep + 1}`;
      if (r.status === "ok") {
        say(`  ${name}: ${fmtCount(r.rps)} req/s, p99 ${fmtUs(r.latencyUs.p99)}, RSS peak ${fmtBytes(r.server.rssPeakBytes)}, server CPU ${r.server.cpuPct.toFixed(0)}%, client CPU ${r.client.cpuPct.toFixed(0)}%${r.client.clientBound ? " (CLIENT-BOUND)" : ""}`);
      } else if (r.status === "skipped") {
        say(`  ${name}: skipped: ${r.reason}`);
      } else {
        say(`  ${name}: FAILED: ${r.failure}`);
      }
    },
  });
  say("");
  say(benchTable(outcome.result));
  const ratios = ratiosSection(outcome.result);
  if (ratios) {
    say("");
    say(ratios);
  }
  const network = networkText(outcome.result); // netns (issue 16)
  if (network) say(`\n${network}`); // netns (issue 16)
  const claims = claimsSection(outcome.result);
  if (claims) {
    say("");
    say(claims);
  }
  say("");
  if (outcome.interrupted) say("interrupted: the partial result was kept");
  if (outcome.failedRuns > 0) say(`${outcome.failedRuns} run(s) failed; see the table and the result file`);
  say(`result: ${outcome.file}`);
  if (o.json) io.out(outcome.file);
  return outcome.failedRuns > 0 || outcome.interrupted ? 1 : 0;
}
