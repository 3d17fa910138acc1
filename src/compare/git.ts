// --git <ref>: pick the pair of results to compare from results/ by commit. Read-only git only
// (rev-parse); the results themselves say which commit they were measured at.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { BadInputError } from "../errors.js";
import type { LoadedResult } from "../results/reader.js";
import { shortCommit } from "../present/format.js";

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

/** By the time each result was recorded (createdAt), newest first; never by file name or order. */
const newestFirst = (a: LoadedResult, b: LoadedResult) => Date.parse(b.result.createdAt) - Date.parse(a.result.createdAt);
const recordedBefore = (a: LoadedResult, b: LoadedResult) => Date.parse(a.result.createdAt) < Date.parse(b.result.createdAt);

export interface GitPair {
  old: LoadedResult;
  new: LoadedResult;
  notes: string[];
}

/** The newer side for `old`: the newest result at HEAD recorded after it, else the newest recorded after it anywhere. */
function newerFor(old: LoadedResult, same: LoadedResult[], headSha: string): { newer: LoadedResult; atHead: boolean } | null {
  const after = same.filter((r) => recordedBefore(old, r)).sort(newestFirst);
  const atHead = after.find((r) => atCommit(r, headSha));
  if (atHead !== undefined) return { newer: atHead, atHead: true };
  return after[0] === undefined ? null : { newer: after[0], atHead: false };
}

/**
 * For every (scenario, hardware id) with a result at `refSha`: as new, the newest result of the
 * same scenario and hardware id at HEAD (or, when HEAD has none, the newest one overall, said so
 * in the notes); as old, the newest result at `refSha` recorded before it. Order is by createdAt,
 * so several results at one commit (`--git HEAD`) compare the earlier with the later.
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
  const skipped: string[] = [];
  const groups = new Map<string, LoadedResult[]>();
  for (const r of atRef) {
    const key = `${r.result.scenario.name}\u0000${r.result.env.hardwareId}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const candidates of groups.values()) {
    const first = candidates[0]!.result;
    const same = all.filter((r) => r.result.scenario.name === first.scenario.name && r.result.env.hardwareId === first.env.hardwareId);
    // The newest old that has something recorded after it.
    const found = candidates.map((old) => ({ old, n: newerFor(old, same, headSha) })).find((x) => x.n !== null);
    if (found === undefined || found.n === null) {
      skipped.push(`${first.scenario.name} on ${first.env.hardwareId}`);
      continue;
    }
    const { old, n } = found;
    const notes = [
      `old: newest result of ${first.scenario.name} on ${first.env.hardwareId} at ${ref} (${shortCommit(refSha)}) recorded before new`,
    ];
    notes.push(
      n.atHead
        ? `new: newest result at HEAD (${shortCommit(headSha)})`
        : `new: no result at HEAD (${shortCommit(headSha)}); using the newest result overall, at commit ${shortCommit(n.newer.result.git.commit)}`,
    );
    if (atCommit(n.newer, refSha)) notes.push("old and new were measured at the same commit; old is the earlier recorded");
    pairs.push({ old, new: n.newer, notes });
  }
  if (pairs.length === 0) {
    throw new BadInputError(`--git ${ref}: nothing newer to compare with for ${skipped.join("; ")}`);
  }
  return { pairs, skipped };
}
