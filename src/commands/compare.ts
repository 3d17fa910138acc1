// `compare <old> <new>` or `compare --git <ref>`: two results side by side (src/compare/ computes
// and formats). --json is --format json: one JSON document on stdout.
import { resolve } from "node:path";

import { compareCommand } from "../compare/index.js";
import { BadInputError } from "../errors.js";
import { ROOT } from "../paths.js";
import { checkReadableFile } from "./checks.js";
import { defineCommand } from "./define.js";
import { choice, flag, list, str } from "./options.js";
import { resultsDirOf, resultsDirOptions } from "./results-dir.js";

export const compareSpec = defineCommand({
  name: "compare",
  summary: "compare two results (medians, intervals, Mann-Whitney U)",
  positionals: [
    { name: "old", help: "the older result file (results/<hardware-id>/<stamp>-<scenario>.json)" },
    { name: "new", help: "the newer result file" },
  ],
  variadic: true,
  options: {
    revs: list({ help: "one result with a Go package at two revisions (go.revs): compare rows <name>@<old> with <name>@<new>" }),
    git: str({ help: "the newest result of each scenario at <ref> against the newest at HEAD (instead of two files)", metavar: "<ref>" }),
    format: choice({ help: "output format", choices: ["text", "markdown", "json"], default: "text" }),
    json: flag({ help: "the comparison as one JSON document on stdout (same as --format json)" }),
    "fail-on-regression": str({
      help: "exit 1 when a significant regression is larger than pct % (every metric), or than the % given for a metric: p99:5%, p99.9:10%, several joined by commas",
      metavar: "<pct|metric:pct>",
    }),
    ...resultsDirOptions,
  },
  run: async (v, positionals) => {
    if (v.revs !== undefined && positionals.length !== 1)
      throw new BadInputError(`compare --revs: expected one result file (with rows at both revisions), got ${positionals.length}`);
    if (v.git === undefined && v.revs === undefined && positionals.length !== 2) {
      throw new BadInputError(`compare: expected two result files (old.json new.json) or --git <ref>, got ${positionals.length} file(s)`);
    }
    if (v.git !== undefined && positionals.length > 0)
      throw new BadInputError("compare: give either two result files or --git <ref>, not both");
    // Files are the user's, relative to the current folder; --git reads the repository's history.
    for (const p of positionals) checkReadableFile(resolve(p), "compare:");
    if (v.json && v.format !== "text" && v.format !== "json") throw new BadInputError(`--json and --format ${v.format} disagree; drop one`);
    const r = await compareCommand({
      ...(v.revs === undefined ? {} : { revs: v.revs }),
      oldPath: positionals[0],
      newPath: positionals[1],
      gitRef: v.git,
      format: v.json ? "json" : v.format,
      failOnRegression: v["fail-on-regression"],
      resultsDir: resultsDirOf(v),
      cwd: v.git === undefined ? process.cwd() : ROOT,
    });
    return { text: r.output.replace(/\n$/, ""), exitCode: r.exitCode };
  },
});
