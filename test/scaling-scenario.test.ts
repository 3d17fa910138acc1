// The connection-levels scenario as a user writes it: the shipped file parses, names registered
// targets and levels this machine can hold; a scaling section that cannot run is refused with
// one line (exit 2) before anything is measured.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { SCENARIOS_DIR } from "../src/paths.js";
import { readMachineLimits, staticRefusal } from "../src/scaling/capacity.js";
import { checkLevels } from "../src/scaling/prepare.js";
import { withGoMemLimit } from "../src/scaling/levels.js";
import { readScenario } from "../src/scenario/load.js";
import { findTarget } from "../src/targets/registry.js";
import { runCli } from "./helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "evbench-levels-scn-"));

describe("scenario seed-table-connections", () => {
  const s = readScenario("seed-table-connections", SCENARIOS_DIR);

  it("parses with its levels, rate and the handbook's claim", () => {
    expect(s.scaling?.connections).toEqual([1000, 5000, 10000, 19000]);
    expect(s.scaling?.rate).toBeGreaterThan(0);
    expect(s.scaling?.claim?.text).toMatch(/10w\+/);
    expect(s.targets.map((t) => t.name)).toEqual(["gnet", "evio", "nethttp", "fasthttp", "native", "native-standalone", "node-http"]);
    for (const t of s.targets) expect(findTarget(t.name)).toBeDefined();
  });

  it("holds levels this machine's limits allow", () => {
    const m = readMachineLimits();
    for (const n of s.scaling!.connections) expect(staticRefusal(n, m, { generatorProcesses: 1, sourceAddresses: 1 })).toBeNull();
    expect(() => checkLevels(s, m)).not.toThrow();
  });

  it("refuses levels out of order with one line and exit 2", async () => {
    const file = join(dir, "bad-order.json");
    writeFileSync(file, JSON.stringify({ name: "bad-order", targets: ["native"], scaling: { connections: [5000, 1000], rate: 1000 } }));
    const r = await runCli(["bench", file, "--quiet"]).done;
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/scaling\.connections: the levels must ascend \(5000 then 1000\); list them from the smallest$/),
    ]);
  });

  it("refuses --warmup, whose place the ramp and the hold take, with one line", async () => {
    const r = await runCli(["bench", "seed-table-connections", "--warmup", "1", "--quiet"]).done;
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/--warmup does not apply to seed-table-connections: .*scaling\.rampS \+ scaling\.holdS/),
    ]);
  });

  it("refuses a scaling section with a field it does not know, naming its path", async () => {
    const file = join(dir, "bad-field.json");
    writeFileSync(
      file,
      JSON.stringify({ name: "bad-field", targets: ["native"], scaling: { connections: [1000], rate: 1000, rampSeconds: 3 } }),
    );
    const r = await runCli(["bench", file, "--quiet"]).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/scaling/);
    expect(r.stderr).toMatch(/rampSeconds/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("GOMEMLIMIT from the cgroup's limit (scaling.goMemLimitShare)", () => {
  const v = { name: "c1000", env: {}, args: [], load: readScenario("seed-table-connections", SCENARIOS_DIR).load, link: null };
  const section = { connections: [1000], rate: 1000, rampS: 1, holdS: 1, memoryLimitBytes: {} };

  it("sets 90 % of the limit for Go targets only, and leaves a variant's own value alone", () => {
    expect(withGoMemLimit(v, "go", { ...section, goMemLimitShare: 0.9 }, 1000 * 2 ** 20).env).toEqual({
      GOMEMLIMIT: String(Math.floor(0.9 * 1000 * 2 ** 20)),
    });
    expect(withGoMemLimit(v, "c++", { ...section, goMemLimitShare: 0.9 }, 2 ** 30).env).toEqual({});
    expect(withGoMemLimit(v, "go", section, 2 ** 30).env).toEqual({});
    expect(withGoMemLimit({ ...v, env: { GOMEMLIMIT: "64MiB" } }, "go", { ...section, goMemLimitShare: 0.9 }, 2 ** 30).env).toEqual({
      GOMEMLIMIT: "64MiB",
    });
  });
});

describe("the generator's many-connection fields", () => {
  const s = readScenario("seed-table-connections", SCENARIOS_DIR);
  const withRate = { ...s, scaling: { ...s.scaling!, connectRate: 20_000 } };

  it("are refused, naming the field, where the generator does not declare them", () => {
    expect(() => checkLevels(withRate, readMachineLimits(), () => ["body", "check"])).toThrow(
      /scaling\.connectRate needs the native generator with that feature \(this build's LoadGen\.features: body, check\)/,
    );
  });

  it("pass where it does", () => {
    expect(() => checkLevels(withRate, readMachineLimits(), () => ["connectRate"])).not.toThrow();
  });
});
