// compare: old and new result files in, a benchstat-style comparison out. The CLI (src/cli.ts)
// parses flags and calls compareCommand; nothing here touches argv or exits.
import path from "node:path";

import { BadInputError } from "../errors.js";
import { readAllResults, readResultFile } from "../results/reader.js";
import { computeComparison } from "./compute.js";
import { EXPORTERS } from "./exporters.js";
import { pickGitPairs, resolveCommit } from "./git.js";
import type { Comparison } from "./model.js";
import { compareProfiles } from "./profile.js";
import { splitRevisions } from "./revisions.js";
import { parseGateSpec } from "./tail-gate.js";

export { computeComparison } from "./compute.js";
export type { Comparison, MetricRow, MetricTable } from "./model.js";
export { EXPORTERS } from "./exporters.js";

export interface CompareOptions {
  /** One result with rows at two revisions of a user's Go package (src/compare/revisions.ts). */
  revs?: string[];
  oldPath?: string;
  newPath?: string;
  gitRef?: string;
  format: "text" | "markdown" | "json";
  failOnRegressionPct?: number;
  /** --fail-on-regression as typed ("5%", "p99:5%"): parsed by src/compare/tail-gate.ts. */
  failOnRegression?: string;
  resultsDir: string;
  cwd: string;
}

export async function compareCommand(opts: CompareOptions): Promise<{ output: string; exitCode: 0 | 1 }> {
  const exporter = EXPORTERS[opts.format];
  if (exporter === undefined) throw new BadInputError(`--format: expected text, markdown or json, received "${String(opts.format)}"`);
  if (opts.failOnRegressionPct !== undefined && !(Number.isFinite(opts.failOnRegressionPct) && opts.failOnRegressionPct >= 0)) {
    throw new BadInputError(`--fail-on-regression: expected a percentage >= 0, received ${String(opts.failOnRegressionPct)}`);
  }
  const gate =
    opts.failOnRegression !== undefined
      ? { failOnRegression: parseGateSpec(opts.failOnRegression) }
      : opts.failOnRegressionPct === undefined
        ? {}
        : { failOnRegressionPct: opts.failOnRegressionPct };
  let comparisons: Comparison[];
  if (opts.revs !== undefined) {
    if (opts.oldPath === undefined || opts.newPath !== undefined || opts.gitRef !== undefined)
      throw new BadInputError("compare --revs <old>,<new>: give exactly one result file");
    const r = await readResultFile(path.resolve(opts.cwd, opts.oldPath));
    const [a, b] = splitRevisions(r.result, opts.oldPath, opts.revs);
    const label = (rev: string) => `${opts.oldPath}@${rev}`;
    comparisons = [computeComparison({ path: label(opts.revs[0]!), result: a }, { path: label(opts.revs[1]!), result: b }, gate)];
  } else if (opts.gitRef !== undefined) {
    if (opts.oldPath !== undefined || opts.newPath !== undefined)
      throw new BadInputError("compare: give either two result files or --git <ref>, not both");
    const refSha = await resolveCommit(opts.gitRef, opts.cwd);
    const headSha = await resolveCommit("HEAD", opts.cwd);
    const all = await readAllResults(path.resolve(opts.cwd, opts.resultsDir));
    const { pairs, skipped } = pickGitPairs(all, opts.gitRef, refSha, headSha);
    const rel = (p: string) => path.relative(opts.cwd, p) || p;
    const skippedNote =
      skipped.length > 0 ? [`also recorded at ${opts.gitRef}, but with nothing newer to compare with: ${skipped.join("; ")}`] : [];
    comparisons = pairs.map((p) => ({
      ...computeComparison(
        { path: rel(p.old.path), result: p.old.result },
        { path: rel(p.new.path), result: p.new.result },
        { ...gate, notes: [...p.notes, ...skippedNote] },
      ),
      profiles: compareProfiles(p.old, p.new),
    }));
  } else {
    if (opts.oldPath === undefined || opts.newPath === undefined)
      throw new BadInputError("compare: expected two result files (old.json new.json) or --git <ref>");
    const [a, b] = await Promise.all([
      readResultFile(path.resolve(opts.cwd, opts.oldPath)),
      readResultFile(path.resolve(opts.cwd, opts.newPath)),
    ]);
    comparisons = [
      {
        ...computeComparison({ path: opts.oldPath, result: a.result }, { path: opts.newPath, result: b.result }, gate),
        profiles: compareProfiles(a, b),
      },
    ];
  }
  // A gate that failed, or that could not trip for lack of repetitions, does not pass.
  const notPassed = comparisons.some((c) => c.gate !== null && c.gate.status !== "passed");
  return { output: new TextDecoder().decode(exporter.serialize(comparisons)), exitCode: notPassed ? 1 : 0 };
}
