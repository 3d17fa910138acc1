// A Go package of the user's built by the harness: at a revision, checked out into a temporary
// git worktree and built once into a cache keyed by commit, Go version and package (a second run
// reuses the binary); the working tree itself, built fresh every time (it may be dirty). A build
// that fails is bad input, with the compiler's own message.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, relative } from "node:path";

import { BadInputError } from "../errors.js";
import { repoState, resolveRev } from "./user-git.js";

export interface GoBuild {
  binary: string;
  goVersion: string;
  /** The commit built (null: not in a git repository). */
  commit: string | null;
  /** The working tree was built and had uncommitted changes (false for a revision). */
  dirty: boolean | null;
  /** `go version -m` of the binary: the Go version, the main module and every dependency's version. */
  buildInfo: string[];
  cached: boolean;
}

const BUILD_TIMEOUT_MS = 600_000;

function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "evbench", "go-builds");
}

export function goVersion(): string {
  const r = spawnSync("go", ["env", "GOVERSION"], { encoding: "utf8" });
  if (r.error || r.status !== 0)
    throw new BadInputError("go is not installed or not on PATH: install Go (https://go.dev/doc/install) to benchmark a Go package");
  return r.stdout.trim();
}

function goBuild(where: string, pkg: string, out: string, label: string): void {
  const r = spawnSync("go", ["build", "-o", out, pkg], {
    cwd: where,
    encoding: "utf8",
    timeout: BUILD_TIMEOUT_MS,
    env: { ...process.env, GOFLAGS: process.env.GOFLAGS ?? "" },
  });
  if (r.status === 0) return;
  const msg = (r.stderr || r.stdout || r.error?.message || "").trim().split("\n").slice(0, 6).join(" | ");
  throw new BadInputError(`${label}: go build ${pkg} failed: ${msg}`);
}

function versionM(binary: string): string[] {
  try {
    return execFileSync("go", ["version", "-m", binary], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map((l) => l.trim());
  } catch {
    return [];
  }
}

/** At a revision: built once per (commit, Go version, package), reused after. */
function buildRev(dir: string, pkg: string, rev: string, go: string, label: string): GoBuild {
  const repo = repoState(dir);
  const commit = resolveRev(dir, rev);
  if (!repo || !commit)
    throw new BadInputError(
      `${label}: "${rev}" is not a revision of ${repo ? repo.top : `a git repository (${dir} is not in one)`}; give a branch, tag or commit`,
    );
  const sub = relative(repo.top, dir) || ".";
  const key = createHash("sha256").update(`${sub}\0${pkg}`).digest("hex").slice(0, 12);
  const binary = join(cacheRoot(), `${commit}-${go}-${key}`, "server");
  if (existsSync(binary)) return { binary, goVersion: go, commit, dirty: false, buildInfo: versionM(binary), cached: true };
  const tree = mkdtempSync(join(tmpdir(), "evbench-rev-"));
  try {
    execFileSync("git", ["-C", repo.top, "worktree", "add", "--detach", "--force", tree, commit], { stdio: "ignore" });
    mkdirSync(join(binary, ".."), { recursive: true });
    const partial = `${binary}.partial-${process.pid}`;
    goBuild(join(tree, sub), pkg, partial, `${label} (${rev} = ${commit.slice(0, 12)})`);
    renameSync(partial, binary); // never a half-written binary in the cache
  } finally {
    spawnSync("git", ["-C", repo.top, "worktree", "remove", "--force", tree], { stdio: "ignore" });
    rmSync(tree, { recursive: true, force: true });
  }
  return { binary, goVersion: go, commit, dirty: false, buildInfo: versionM(binary), cached: false };
}

/** The working tree as it is: built into a fresh temporary folder (never cached). */
function buildTree(dir: string, pkg: string, go: string, label: string): GoBuild {
  const repo = repoState(dir);
  const out = join(mkdtempSync(join(tmpdir(), "evbench-build-")), "server");
  goBuild(dir, pkg, out, label);
  return { binary: out, goVersion: go, commit: repo?.commit ?? null, dirty: repo?.dirty ?? null, buildInfo: versionM(out), cached: false };
}

export function buildGoTarget(dir: string, pkg: string, rev: string | null, label: string): GoBuild {
  if (!existsSync(dir)) throw new BadInputError(`${label}: go.dir ${dir} does not exist`);
  const go = goVersion();
  return rev === null ? buildTree(dir, pkg, go, label) : buildRev(dir, pkg, rev, go, label);
}
