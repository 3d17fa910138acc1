import { it } from "vitest";
import { compareCommand } from "../../src/compare/index.js";
it("print", async () => {
  const r = await compareCommand({ oldPath: "test/fixtures/results/fixture-2c-xeon/20250101T100000Z-t7-plain.json", newPath: "test/fixtures/results/fixture-2c-xeon/20250102T100000Z-t7-plain.json", format: "text", resultsDir: "results", cwd: "/work/main", failOnRegressionPct: 3 });
  console.log(r.output, r.exitCode);
});
