import { it } from "vitest";
import { cpSync, rmSync } from "node:fs";
import { reportCommand } from "../../src/report/index.js";
it("report", async () => {
  rmSync("/tmp/rep", { recursive: true, force: true });
  cpSync("test/fixtures/results", "/tmp/rep", { recursive: true });
  rmSync("/tmp/rep/make-fixtures.mjs");
  const t = Date.now();
  const r = await reportCommand({ paths: [], resultsDir: "/tmp/rep" });
  console.log(r, Date.now() - t);
}, 60000);
