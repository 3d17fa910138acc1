// Bad and mismatched inputs: a clear message naming the file (and the JSON path of a bad field),
// thrown as BadInputError (exit code 2).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { compareCommand } from "../src/compare/index.js";
import { BadInputError } from "../src/errors.js";
import { parseResult, readResultFile } from "../src/results/reader.js";
import { FIXTURES } from "./report-fixtures.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "evbench-compare-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const C1 = path.join(FIXTURES, "fixture-2c-xeon", "20250101T100000Z-t7-plain.json");
const PIPELINED = path.join(FIXTURES, "fixture-2c-xeon", "20250103T120000Z-t7-pipelined.json");
const base = { resultsDir: "results", cwd: process.cwd(), format: "text" as const };

function variant(name: string, edit: (o: Record<string, any>) => void): string {
  const o = JSON.parse(readFileSync(C1, "utf8")) as Record<string, any>;
  edit(o);
  const p = path.join(dir, name);
  writeFileSync(p, JSON.stringify(o));
  return p;
}

async function thrown(p: Promise<unknown>): Promise<BadInputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BadInputError);
    expect((e as BadInputError).exitCode).toBe(2);
    return e as BadInputError;
  }
  throw new Error("expected a BadInputError");
}

describe("result reader", () => {
  it("names the file, the JSON path and what was expected", async () => {
    const bad = variant("bad-field.json", (o) => {
      o.runs[2].server.cpuPct = "high";
      delete o.env.cores;
    });
    const e = await thrown(readResultFile(bad));
    expect(e.message).toContain(bad);
    expect(e.message).toContain("$.runs[2].server.cpuPct");
    expect(e.message).toMatch(/expected number/);
    expect(e.message).toContain("$.env.cores");
  });

  it("refuses an unknown schema version, naming the one it reads", async () => {
    const future = variant("future.json", (o) => {
      o.schema = "evbench/result@9";
    });
    const e = await thrown(readResultFile(future));
    expect(e.message).toContain('$.schema: expected "evbench/result@1", received "evbench/result@9" (written by a newer evbench?)');
  });

  it("brings an older schema version up through the upgrade hooks", () => {
    // A made-up version 0 that called the server block "srv": the hook renames it.
    const v1 = JSON.parse(readFileSync(C1, "utf8")) as Record<string, any>;
    const v0 = {
      ...v1,
      schema: "evbench/result@0",
      runs: v1.runs.map(({ server, ...r }: Record<string, unknown>) => ({ ...r, srv: server })),
    };
    const upgrades = {
      "evbench/result@0": (o: Record<string, any>) => ({
        ...o,
        schema: "evbench/result@1",
        runs: o.runs.map(({ srv, ...r }: Record<string, unknown>) => ({ ...r, server: srv })),
      }),
    };
    expect(parseResult(v0, "v0.json", upgrades).result.runs[0]).toEqual(parseResult(v1, "v1.json").result.runs[0]);
    expect(() => parseResult(v0, "v0.json")).toThrow(/\$\.schema: expected "evbench\/result@1"/);
  });

  it("reports invalid claims under $.scenario.claims", async () => {
    const p = variant("claims.json", (o) => {
      o.scenario.claims.rows.gnet.rps = -1;
    });
    expect((await thrown(readResultFile(p))).message).toContain("$.scenario.claims.rows.gnet.rps");
  });

  it("not JSON, and a missing file", async () => {
    const p = path.join(dir, "junk.json");
    writeFileSync(p, "{ nope");
    expect((await thrown(readResultFile(p))).message).toContain(`${p}: not JSON`);
    expect((await thrown(readResultFile(path.join(dir, "absent.json")))).message).toContain("ENOENT");
  });
});

describe("compare refuses what it cannot match", () => {
  it("different scenarios", async () => {
    const e = await thrown(compareCommand({ ...base, oldPath: C1, newPath: PIPELINED }));
    expect(e.message).toContain('scenario "t7-plain"');
    expect(e.message).toContain('scenario "t7-pipelined"');
  });

  it("no target/variant in common", async () => {
    const p = variant("renamed.json", (o) => {
      for (const r of o.runs) r.variant = "gogc150";
      for (const r of o.summary) r.variant = "gogc150";
    });
    expect((await thrown(compareCommand({ ...base, oldPath: C1, newPath: p }))).message).toContain("no target/variant in common");
  });

  it("bad flags", async () => {
    await thrown(compareCommand({ ...base, oldPath: C1 }));
    await thrown(compareCommand({ ...base, oldPath: C1, newPath: C1, failOnRegressionPct: -5 }));
    await thrown(compareCommand({ ...base, oldPath: C1, newPath: C1, gitRef: "HEAD" }));
  });
});
