// Writes schema/result.schema.json from the zod schema of the result file (`npm run build:schema`,
// which compiles first, then runs this file).
// test/results-json-schema.test.ts fails when the file is out of date.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { resultJsonSchema } from "../dist/results/json-schema.js";

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), "result.schema.json");
writeFileSync(out, JSON.stringify(resultJsonSchema(), null, 2) + "\n");
console.log(`wrote ${out}`);
