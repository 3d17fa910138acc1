// schema/load.schema.json is generated from the zod schema of the load summary; this keeps the
// shipped file equal to it (EVBENCH_UPDATE_SCHEMA=1 rewrites it) and checks that a real summary
// satisfies what the JSON Schema requires.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { loadJsonSchema, LoadSummary } from "../src/commands/load-summary.js";
import { ROOT } from "./helpers/cli.js";

const FILE = join(ROOT, "schema", "load.schema.json");
const generated = JSON.stringify(loadJsonSchema(), null, 2) + "\n";

describe("schema/load.schema.json", () => {
  it("is the JSON Schema of the zod load summary", () => {
    if (process.env["EVBENCH_UPDATE_SCHEMA"] === "1" || !existsSync(FILE)) writeFileSync(FILE, generated);
    expect(readFileSync(FILE, "utf8")).toBe(generated);
  });

  it("requires every field the summary has", () => {
    const schema: unknown = JSON.parse(readFileSync(FILE, "utf8"));
    const required = typeof schema === "object" && schema !== null && "required" in schema ? schema.required : [];
    expect(required).toEqual(Object.keys(LoadSummary.shape));
  });
});
