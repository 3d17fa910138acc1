// --git <ref>: pick the pair of results to compare from results/ by commit. Read-only git only
// (rev-parse); the results themselves say which commit they were measured at.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { BadInputError } from "../errors.js";
import type { LoadedResult } from "../results/reader.js";
import { shortCommit } from "../report/format.js";

const run = promisify(execFile);

export async function resolveCommit(ref: string, cwd: string): Promise<string> {
  if (ref.startsWith("-")) throw new BadInputError(`--git: "${ref}" is not a git ref`);
  try {
    const { stdout } = await run("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd });
    return stdout.trim();
  } catch (e) {
    throw new BadInputError(`--git: cannot resolve "${ref}" to a commit in ${cwd}`, { cause: e });
  }
}

function atCommit(r: LoadedResult, sha: string): boolean {
  const c = r.result.git.commit;
  // Full hashes normally; a stored abbreviation still matches its commit.
  return c !== null && c.length >= 7 && sha.startsWith(c.toLowerCase());
}

const newestFirst = (a: LoadedResult, b: LoadedResult) => b.result.createdAt.localeCompare(a.result.createdAt) || b.path.localeCompare(a.path);

export interface GitPair {
  old: LoadedResult;
  new: LoadedResult;
  notes: string[];
}

/**
 * For every (scenario, hardware id) with a result at `refSha`: the newest such result as old, and
 * as new the newest result of the same scenario and hardware id at HEAD, or, when there is none at
 * HEAD, the newest one recorded after it at any commit (said so in the notes).
 */
export function pickGitPairs(all: LoadedResult[], ref: string, refSha: string, headSha: string): { pairs: GitPair[]; skipped: string[] } {
  const atRef = all.filter((r) => atCommit(r, refSha)).sort(newestFirst);
  if (atRef.length === 0) {
    const commits = [...new Set(all.map((r) => shortCommit(r.result.git.commit)))];
    throw new BadInputError(
      `--git ${ref}: no result recorded at commit ${shortCommit(refSha)}; results exist for commits: ${commits.join(", ") || "(none)"}`,
    );
  }
  const pairs: GitPair[] = [];
  const done = new Set<string>();
  const skipped: string[] = [];
  for (const old of atRef) {
    const key = `${old.result.scenario.name}\u0000${old.result.env.hardwareId}`;
    if (done.has(key)) continue;
    done.add(key);
    const same = all.filter((r) => r.result.scenario.name === old.result.scenario.name && r.result.env.hardwareId === old.result.env.hardwareId && r !== old);
    const atHead = same.filter((r) => atCommit(r, headSha)).sort(newestFirst);
    const notes = [`old: newest result of ${old.result.scenario.name} on ${old.result.env.hardwareId} at ${ref} (${shortCommit(refSha)})`];
    let newer = atHead[0];
    if (newer !== undefined) {
      notes.push(`new: newest result at HEAD (${shortCommit(headSha)})`);
    } else {
      newer = same.filter((r) => !atCommit(r, refSha) && r.result.createdAt > old.result.createdAt).sort(newestFirst)[0];
      if (newer === undefined) {
        skipped.push(`${old.result.scenario.name} on ${old.result.env.hardwareId}`);
        continue;
      }
      notes.push(`new: no result at HEAD (${shortCommit(headSha)}); using the newest result overall, at commit ${shortCommit(newer.result.git.commit)}`);
    }
    if (atCommit(newer, refSha)) notes.push("old and new were measured at the same commit");
    pairs.push({ old, new: newer, notes });
  }
  if (pairs.length === 0) {
    throw new BadInputError(`--git ${ref}: nothing newer to compare with for ${skipped.join("; ")}`);
  }
  return { pairs, skipped };
}
