// `report [dir...]`: Markdown and HTML reports per hardware id (src/report/ builds them).
import { reportCommand } from "../report/index.js";
import { defineCommand } from "./define.js";
import { resultsDirOf, resultsDirOptions } from "./results-dir.js";

export const reportSpec = defineCommand({
  name: "report",
  summary: "Markdown and HTML reports per hardware id",
  positionals: [{ name: "dir", help: "<results>/<hardware-id> folders (all of them by default)" }],
  variadic: true,
  notes: "Writes report.md and report.html in each hardware id folder and index.html in the results folder\n(the user's by default; the repository's tracked reports only with --publish).",
  options: { ...resultsDirOptions },
  run: async (v, positionals) => {
    const r = await reportCommand({ paths: positionals, resultsDir: resultsDirOf(v) });
    return { text: r.written.map((f) => `wrote ${f}`).join("\n"), exitCode: 0 };
  },
});
