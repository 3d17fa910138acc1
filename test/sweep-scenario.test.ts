// The scenario's `sweep` section: parsed once, its problems named with their JSON paths; the
// jobs and settings a scenario gives (each target x connection count; defaults < file < flags).
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { parseScenario } from "../src/scenario/load.js";
import { jobsFromScenario, scenarioSweepSettings, settingsFrom, slosFrom } from "../src/sweep/jobs.js";
import { SWEEP_DEFAULTS } from "../src/sweep/settings.js";
import { ROOT } from "./helpers/cli.js";

const base = { name: "x", targets: ["gnet", "native"], cpus: { server: [1], client: [0] } };

describe("the sweep section", () => {
  it("names each bad field with its path", () => {
    expect(() => parseScenario({ ...base, sweep: { slo: ["p99=10ms", "p97=1ms"], factor: 1 } }, "f.json")).toThrow(
      /sweep\.slo\[1\]: "p97=1ms" is not an SLO[\s\S]*sweep\.factor/,
    );
    expect(() => parseScenario({ ...base, sweep: { connections: [16] } }, "f.json")).toThrow(/sweep\.slo/);
  });

  it("sweeps as many repetitions as the scenario says, unless --reps says otherwise", () => {
    const sc = parseScenario({ ...base, repetitions: 3, sweep: { slo: ["p99<=10ms"] } }, "f.json");
    const slos = slosFrom(sc.sweep!.slo, "f");
    // the command line's absent flags arrive as undefined and must not erase the scenario's value
    expect(scenarioSweepSettings(sc.sweep!, sc.repetitions, { repetitions: undefined, stepS: undefined }, slos).repetitions).toBe(3);
    expect(scenarioSweepSettings(sc.sweep!, sc.repetitions, { repetitions: 5 }, slos).repetitions).toBe(5);
  });

  it("gives a job per target and connection count, settings from defaults, file and flags", () => {
    const sc = parseScenario({ ...base, sweep: { slo: ["p99<=1ms", "p99<=10ms"], connections: [16, 256], stepS: 1.5 } }, "f.json");
    const s = settingsFrom(sc.sweep, { repetitions: 3, warmupS: undefined }, slosFrom(sc.sweep!.slo, "f"));
    expect(s).toMatchObject({ stepS: 1.5, repetitions: 3, warmupS: SWEEP_DEFAULTS.warmupS, startRps: SWEEP_DEFAULTS.startRps });
    expect(s.slos.map((x) => x.label)).toEqual(["p99<=1ms", "p99<=10ms"]);
    const jobs = jobsFromScenario(sc, s, undefined, undefined);
    expect(jobs.map((j) => `${j.target}/${j.variant}`)).toEqual(["gnet/c16", "gnet/c256", "native/c16", "native/c256"]);
    expect(jobs[0]!.spec).toMatchObject({ connections: 16, threads: 1, cpus: [0], pipeline: 1, rate: null });
  });

  it("seed-table-knee parses and names the handbook's servers", () => {
    const sc = parseScenario(JSON.parse(readFileSync(join(ROOT, "scenarios", "seed-table-knee.json"), "utf8")), "seed-table-knee.json");
    expect(sc.targets.map((t) => t.name)).toEqual(["gnet", "evio", "nethttp", "fasthttp", "native", "node-http"]);
    expect(sc.sweep!.connections).toEqual([16, 256]);
  });
});
