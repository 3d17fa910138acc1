// Read-only git for user targets: which commit a folder is at, whether it is dirty, and a
// revision resolved to its commit. Null where the folder is not in a repository.
import { execFileSync } from "node:child_process";

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync("git", ["-C", cwd, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch {
    return null;
  }
}

export interface RepoState {
  /** The repository's top folder. */
  top: string;
  commit: string;
  dirty: boolean;
}

export function repoState(dir: string): RepoState | null {
  const top = git(dir, ["rev-parse", "--show-toplevel"]);
  const commit = git(dir, ["rev-parse", "HEAD"]);
  if (!top || !commit) return null;
  const status = git(dir, ["status", "--porcelain"]);
  return { top, commit, dirty: status !== null && status.length > 0 };
}

/** The commit a revision names in the repository at dir, or null. */
export function resolveRev(dir: string, rev: string): string | null {
  if (rev.startsWith("-")) return null;
  return git(dir, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
}
