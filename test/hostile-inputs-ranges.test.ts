// Durations, counts, env entries and hosts a generator or a target cannot honour (issue 28),
// refused at parse time in scenario files and flags alike, with one line (or one line per
// problem, each with its JSON path) and exit 2, before anything starts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { RANGES } from "../src/model/ranges.js";
import { measureCli, oneLine } from "./helpers/hostile-cli.js";

let work = "";
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "evb-hostile-ranges-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `bench` on a scenario of node-http with these fields over the minimal ones. */
async function benchScenario(fields: Record<string, unknown>, variant: Record<string, unknown> = {}) {
  const file = join(work, `s-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({ name: "hostile", targets: [{ name: "node-http", variants: [{ name: "v", ...variant }] }], ...fields }),
  );
  return { r: await measureCli(["bench", file, "-q"]), file };
}

// 2^31 ms, autocannon's timer limit, in seconds and one more: it used to wrap to ~1 s.
const PAST_TIMERS_S = Math.ceil(2 ** 31 / 1000);

describe("durations past what a generator can time", () => {
  for (const key of ["durationS", "warmupS"] as const) {
    it(`a scenario ${key} of ${PAST_TIMERS_S} s is refused, saying the limit`, async () => {
      const { r, file } = await benchScenario({ [key]: PAST_TIMERS_S, load: { generator: "autocannon" } });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${file}: ${key}: at most ${RANGES[key].max} s (`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it("the same durations as flags are refused by the same table", async () => {
    for (const [flag, key] of [
      ["-d", "durationS"],
      ["--warmup", "warmupS"],
    ] as const) {
      const r = await measureCli(["load", "http://127.0.0.1:9/", flag, `${PAST_TIMERS_S}s`, "--generator", "autocannon"]);
      expect(r.code, r.stderr).toBe(2);
      expect(oneLine(r.stderr), r.stderr).toBe(true);
      // Whole minutes print as minutes: a day is 1440m, an hour 60m.
      expect(r.stderr).toContain(
        `out of range; expected ${RANGES[key].min === 0 ? "0s" : `${RANGES[key].min * 1000}ms`}..${RANGES[key].max / 60}m`,
      );
    }
  });
});

describe("threads that would not run", () => {
  it("load -t 1000 -c 16 is refused", async () => {
    const r = await measureCli(["load", "http://127.0.0.1:9/", "-t", "1000", "-c", "16"]);
    expect(r.code, r.stderr).toBe(2);
    expect(oneLine(r.stderr), r.stderr).toBe(true);
    expect(r.stderr).toMatch(/-t 1000 is above -c 16: each client thread needs a connection/);
  });

  it("a scenario with threads above connections is refused, naming the load", async () => {
    const { r, file } = await benchScenario({ load: { threads: 1000, connections: 16 } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${file}: load: threads 1000 is above connections 16`);
  });
});

describe("environment entries a process cannot be given", () => {
  it('names with "=" or NUL, empty names and NUL values are refused with their JSON paths', async () => {
    const { r, file } = await benchScenario({}, { env: { "A=B": "1", "N\u0000UL": "1", "": "1", GOGC: "x\u0000y" } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/invalid scenario \(4 problems\)/);
    expect(r.stderr).toContain(`${file}: targets[0].variants[0].env["A=B"]: an environment variable name`);
    expect(r.stderr).toContain(`${file}: targets[0].variants[0].env["N\\u0000UL"]: an environment variable name`);
    expect(r.stderr).toContain(`${file}: targets[0].variants[0].env[""]: an environment variable name`);
    expect(r.stderr).toContain(`${file}: targets[0].variants[0].env.GOGC: an environment value without NUL`);
  });
});

describe("target --host that is not this machine", () => {
  for (const host of ["example.com", "nosuchhost.invalid", "192.0.2.1"]) {
    it(`--host ${host}: one line, exit 2`, async () => {
      const r = await measureCli(["target", "node-http", "--host", host, "--port", "0"], { timeoutMs: 30_000 });
      expect(r.code, r.stderr).toBe(2);
      expect(oneLine(r.stderr), r.stderr).toBe(true);
      expect(r.stderr).toMatch(new RegExp(`--host ${host.replace(/\./g, "\\.")}: (cannot be resolved|not an address of this machine)`));
    });
  }
});
