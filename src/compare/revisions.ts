// compare --revs <old>,<new> on one result: a user's Go package measured at two revisions in the
// same run (rows <name>@<rev>, alternated inside every repetition) is split into two sides with
// the rows renamed to <name>, so the comparison is the usual one. Each side's commit is the
// revision's commit as built, not the harness's.
import { BadInputError } from "../errors.js";
import type { ResultFile } from "../model/index.js";

function revCommit(r: ResultFile, rev: string): string | null {
  for (const t of r.scenario.targets) {
    const rec = (t.user as { prepared?: { record?: { rev?: string | null; repo?: { commit?: string } | null } } } | undefined)?.prepared
      ?.record;
    if (rec?.rev === rev && rec.repo?.commit) return rec.repo.commit;
  }
  return null;
}

function side(r: ResultFile, rev: string): ResultFile {
  const suffix = `@${rev}`;
  const base = (name: string) => (name.endsWith(suffix) ? name.slice(0, -suffix.length) : null);
  const runs = r.runs.flatMap((x) => {
    const b = base(x.target);
    return b === null ? [] : [{ ...x, target: b }];
  });
  const summary = r.summary.flatMap((x) => {
    const b = base(x.target);
    return b === null ? [] : [{ ...x, target: b }];
  });
  return { ...r, runs, summary, ratios: [], git: { commit: revCommit(r, rev), dirty: false } };
}

/** The two sides of one result measured at two revisions; bad input when a revision has no row. */
export function splitRevisions(r: ResultFile, path: string, revs: readonly string[]): [ResultFile, ResultFile] {
  if (revs.length !== 2) throw new BadInputError(`--revs: expected two revisions (old,new), got ${revs.length}`);
  const [a, b] = [side(r, revs[0]!), side(r, revs[1]!)];
  const rows = [...new Set(r.runs.map((x) => x.target))].join(", ");
  for (const [s, rev] of [
    [a, revs[0]!],
    [b, revs[1]!],
  ] as const) {
    if (s.runs.length === 0)
      throw new BadInputError(
        `--revs: ${path} has no row measured at "${rev}" (its rows: ${rows}); name revisions as the scenario's go.revs does`,
      );
  }
  return [a, b];
}
