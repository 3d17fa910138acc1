// A bad scenario fails with the file, the JSON path of the field and what is expected.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { BadInputError } from "../src/errors.js";
import { applyOverrides, checkCpus, parseScenario, readScenario } from "../src/scenario/load.js";
import { runCli } from "./helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "evbench-scenario-"));
function file(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
}

describe("scenario files", () => {
  it("names the file, the field path and the expectation for every problem at once", () => {
    const p = file("bad.json", {
      name: "Bad Name",
      targets: ["node-http", { name: "gnet", variants: [{ name: "v 1", env: { GOGC: 50 } }] }],
      load: { connections: -3, method: "get" },
    });
    let msg = "";
    try {
      readScenario(p, dir);
    } catch (e) {
      expect(e).toBeInstanceOf(BadInputError);
      msg = (e as Error).message;
    }
    expect(msg).toContain(`${p}: name:`);
    expect(msg).toContain(`${p}: targets[1].variants[0].name:`);
    expect(msg).toContain(`${p}: targets[1].variants[0].env.GOGC:`);
    expect(msg).toContain(`${p}: load.connections:`);
    expect(msg).toMatch(/load\.method: .*upper-case HTTP method/);
    expect(msg).toMatch(/5 problems/);
  });

  it("rejects unknown fields instead of ignoring a typo", () => {
    const p = file("typo.json", { name: "t", targets: ["node-http"], durationSec: 5 });
    expect(() => readScenario(p, dir)).toThrow(/durationSec/);
  });

  it("reports invalid JSON with the file name", () => {
    const p = file("broken.json", "{ not json");
    expect(() => readScenario(p, dir)).toThrow(new RegExp(`${p}: not valid JSON`));
  });

  it("fills defaults and expands plain target names into one default variant", () => {
    const s = parseScenario({ name: "x", targets: ["node-http"] }, "x.json");
    expect(s.targets).toEqual([
      { name: "node-http", threads: 1, variants: [{ name: "default", env: {}, args: [], load: s.load, link: null }] },
    ]); // link: netns (issue 16)
    expect(s.load.connections).toBe(16);
    expect(s.load.generator).toBe("native");
  });

  it("gives each variant the scenario's load with its own overrides on top", () => {
    const s = parseScenario(
      {
        name: "x",
        load: { connections: 8, path: "/plaintext" },
        targets: [{ name: "c-floor", variants: [{ name: "wrk-p16", load: { generator: "wrk", pipeline: 16 } }, { name: "plain" }] }],
      },
      "x.json",
    );
    const [a, b] = s.targets[0]!.variants;
    expect(a!.load).toMatchObject({ generator: "wrk", pipeline: 16, connections: 8 });
    expect(b!.load).toMatchObject({ generator: "native", pipeline: 1, connections: 8 });
    const o = applyOverrides(s, { generator: "autocannon" });
    expect(o.targets[0]!.variants.map((v) => v.load.generator)).toEqual(["autocannon", "autocannon"]);
  });

  it("refuses an HTTP-only generator for an echo scenario, naming the variant", () => {
    expect(() =>
      parseScenario(
        { name: "x", mode: "echo", targets: [{ name: "gnet", variants: [{ name: "w", load: { generator: "wrk" } }] }] },
        "e.json",
      ),
    ).toThrow(/e\.json: targets\[0\]\.variants\[0\]\.load\.generator: echo mode needs the native generator/);
  });

  it("applies command-line overrides and refuses targets the scenario does not have", () => {
    const s = parseScenario({ name: "x", targets: ["node-http", "gnet"], durationS: 10 }, "x.json");
    const o = applyOverrides(s, { durationS: 2, repetitions: 3, targets: ["gnet"] });
    expect(o.durationS).toBe(2);
    expect(o.repetitions).toBe(3);
    expect(o.targets.map((t) => t.name)).toEqual(["gnet"]);
    expect(() => applyOverrides(s, { targets: ["evio"] })).toThrow(/--targets: evio not in scenario x/);
  });

  it("refuses pinning to CPUs the machine does not have, naming the field", () => {
    const s = parseScenario({ name: "x", targets: ["node-http"], cpus: { server: [1], client: [0] } }, "p.json");
    expect(() => checkCpus(s, 2)).not.toThrow();
    expect(() => checkCpus(s, 1)).toThrow(/p\.json: cpus\.server\[0\]: CPU 1 does not exist here \(this machine has CPUs 0\.\.0\)/);
  });

  it("exits 2 from the command line with the message on stderr", async () => {
    const p = file("cli-bad.json", { name: "x", targets: [] });
    const r = await runCli(["bench", p]).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${p}: targets:`);
  });

  it("exits 2 for an unknown flag", async () => {
    const r = await runCli(["bench", "quick", "--durration", "2"]).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/durration/);
  });
});
