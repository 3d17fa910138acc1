// `report [dir...]`: Markdown and HTML reports per hardware id (src/report/ builds them).
import { BadInputError } from "../errors.js";
import { reportCommand } from "../report/index.js";
import { listHardwareDirs } from "../results/reader.js";
import { defineCommand } from "./define.js";
import { resultsDirOf, resultsDirOptions } from "./results-dir.js";

export const reportSpec = defineCommand({
  name: "report",
  summary: "Markdown and HTML reports per hardware id",
  positionals: [{ name: "dir", help: "<results>/<hardware-id> folders (all of them by default)" }],
  variadic: true,
  notes:
    "Writes report.md, report.html (the index of a hardware id folder) and report-<scenario>.html in each\nhardware id folder, and index.html in the results folder\n(the user's by default; the repository's tracked reports only with --publish).",
  options: { ...resultsDirOptions },
  run: async (v, positionals) => {
    const resultsDir = resultsDirOf(v);
    if (positionals.length === 0 && !v.publish && (await listHardwareDirs(resultsDir)).length === 0) {
      throw new BadInputError(
        `report: no results of yours under ${resultsDir} yet (npm run bench -- quick makes one); --publish reports the repository's published results/`,
      );
    }
    const r = await reportCommand({ paths: positionals, resultsDir });
    return { text: r.written.map((f) => `wrote ${f}`).join("\n"), exitCode: 0 };
  },
});
