// `report [dir...]`: Markdown and HTML reports per hardware id (src/report/ builds them).
import { RESULTS_DIR } from "../paths.js";
import { reportCommand } from "../report/index.js";
import { defineCommand } from "./define.js";

export const reportSpec = defineCommand({
  name: "report",
  summary: "Markdown and HTML reports per hardware id",
  positionals: [{ name: "dir", help: "results/<hardware-id> folders (all of them by default)" }],
  variadic: true,
  notes: "Writes report.md, report.html (the index of a hardware id folder) and report-<scenario>.html (a scenario with its charts) in each hardware id folder, and results/index.html.",
  options: {},
  run: async (_v, positionals) => {
    const r = await reportCommand({ paths: positionals, resultsDir: RESULTS_DIR });
    return { text: r.written.map((f) => `wrote ${f}`).join("\n"), exitCode: 0 };
  },
});
