// The JSON Schema of evbench/result@1, generated from the zod schema (one source of truth) and
// shipped as schema/result.schema.json so that any tool can validate a result file. It describes
// the file as written, older forms included (ResultFileJson), which is what the reader accepts.
import { z } from "zod";

import { RESULT_SCHEMA, ResultFileJson } from "../model/index.js";

export function resultJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ResultFileJson, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
  return {
    ...generated,
    title: RESULT_SCHEMA,
    description:
      "An evbench result file (evbench/result@1): the scenario, the environment, every run, the summary rows and the ratios. Generated from src/results/schema.ts by schema/generate.mjs; do not edit by hand.",
  };
}
