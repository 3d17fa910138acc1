// The shipped JSON Schema of evbench/result@1 (schema/result.schema.json): generated from the zod
// schema and up to date, and every published result and test fixture validates against it with an
// independent validator (Ajv), while a broken file does not.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";

import { resultJsonSchema } from "../src/results/json-schema.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const SCHEMA_FILE = path.join(ROOT, "schema", "result.schema.json");
const shipped = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as Record<string, unknown>;

/** Every *.json result one or two folders below `dir`. */
function resultFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...resultFiles(p));
    else if (name.endsWith(".json") && JSON.parse(readFileSync(p, "utf8")).schema === "evbench/result@1") out.push(p);
  }
  return out;
}

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(shipped);

describe("schema/result.schema.json", () => {
  it("is what the zod schema generates (run `npm run build:schema` after changing src/model/)", () => {
    expect(shipped).toEqual(JSON.parse(JSON.stringify(resultJsonSchema())));
  });

  const published = resultFiles(path.join(ROOT, "results"));
  const fixtures = resultFiles(path.join(ROOT, "test", "fixtures", "results"));

  it("finds the published results and the fixtures", () => {
    expect(published.length).toBeGreaterThan(0);
    expect(fixtures.length).toBeGreaterThan(0);
  });

  it.each([...published, ...fixtures].map((f) => [path.relative(ROOT, f)]))("%s validates", (rel) => {
    const ok = validate(JSON.parse(readFileSync(path.join(ROOT, rel), "utf8")));
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  it("rejects a result with a wrong field, naming it", () => {
    const bad = JSON.parse(readFileSync(fixtures[0]!, "utf8"));
    bad.runs[0].server.cpuPct = "high";
    delete bad.env;
    expect(validate(bad)).toBe(false);
    const where = validate.errors!.map((e) => `${e.instancePath} ${e.message}`);
    expect(where.some((w) => w.startsWith("/runs/0/server/cpuPct"))).toBe(true);
    expect(where.some((w) => w.includes("env"))).toBe(true);
  });
});
