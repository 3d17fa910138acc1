// Checks made before anything is measured, so a mistake costs nothing: where output goes, and
// whether the process may open as many sockets as asked. Each throws a BadInputError whose one
// line names what is wrong and the fix.
import { execFileSync } from "node:child_process";
import { accessSync, closeSync, constants, existsSync, openSync, statSync, unlinkSync } from "node:fs";
import { dirname, resolve } from "node:path";

import { BadInputError } from "../errors.js";
import { FD_SPARE, readNoFile } from "../load/descriptors.js";

/** The nearest ancestor of `path` that exists (the folder a write would create things in). */
function nearestExisting(path: string): string {
  let p = resolve(path);
  while (!existsSync(p)) {
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  return p;
}

/** A folder that files will be written into (created if missing). */
export function checkWritableDir(dir: string, what: string, named = dir): void {
  const at = nearestExisting(dir);
  if (!statSync(at).isDirectory()) {
    throw new BadInputError(`${what} ${named}: ${at} is a file, not a folder; choose a path under a folder`);
  }
  try {
    accessSync(at, constants.W_OK | constants.X_OK);
  } catch {
    throw new BadInputError(`${what} ${named}: cannot write in ${at} (permission denied); choose a folder you can write to`);
  }
}

/**
 * Every file the command line names for output (--out, --csv, --hgrm, --histogram-log) follows
 * one rule: it must not exist (nothing measured is ever overwritten), its folder must exist, and
 * creating it must work, which is tried now (and undone) so that a run never ends with its
 * numbers unwritable. Access bits alone would pass for root on a read-only mount or a missing
 * folder under /.
 */
export function checkNewFile(path: string, what: string): void {
  if (existsSync(path)) {
    // A character device (/dev/stdout, /dev/null) is a stream, not a result to overwrite; one
    // that cannot take the bytes (/dev/full) fails when written, with the summary kept.
    if (statSync(path).isCharacterDevice()) return;
    const kind = statSync(path).isDirectory() ? "is a folder" : "exists";
    throw new BadInputError(`${what} ${path}: ${kind}; results are never overwritten: choose a new file name`);
  }
  const dir = dirname(resolve(path));
  const at = nearestExisting(dir);
  if (!statSync(at).isDirectory()) throw new BadInputError(`${what} ${path}: ${at} is a file, not a folder; choose a path under a folder`);
  if (at !== dir)
    throw new BadInputError(`${what} ${path}: no folder ${dir}; create it first (mkdir -p ${dir}) or choose an existing folder`);
  probeCreate(path, what);
}

function probeCreate(path: string, what: string): void {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (e) {
    const code = e instanceof Error && "code" in e ? String(e.code) : "";
    const why =
      code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EROFS" ? "read-only file system" : code || String(e);
    throw new BadInputError(`${what} ${path}: cannot write in ${dirname(resolve(path))} (${why}); choose a folder you can write to`);
  }
  closeSync(fd);
  unlinkSync(path);
}

export function checkReadableFile(path: string, what: string): void {
  if (!existsSync(path)) throw new BadInputError(`${what} ${path}: no such file`);
  if (statSync(path).isDirectory()) throw new BadInputError(`${what} ${path}: is a folder; give a file`);
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new BadInputError(`${what} ${path}: cannot read it (permission denied)`);
  }
}

/**
 * Makes sure `connections` sockets can be opened: raises this process's soft RLIMIT_NOFILE to
 * the hard limit when that suffices (children inherit it), and refuses with the fix otherwise.
 * Returns a note when the limit was raised.
 */
export function ensureDescriptors(connections: number): string | null {
  if (!existsSync("/proc/self/limits")) return null;
  const lim = readNoFile();
  const need = connections + FD_SPARE;
  if (!lim || need <= lim.soft) return null;
  if (need > lim.hard) {
    throw new BadInputError(
      `-c ${connections}: needs about ${need} file descriptors but the limit is ${lim.hard} (hard); raise it first (ulimit -n ${need}, as root or in limits.conf) or lower -c`,
    );
  }
  try {
    execFileSync("prlimit", ["--pid", String(process.pid), `--nofile=${lim.hard}:${lim.hard}`], { stdio: "ignore" });
  } catch {
    throw new BadInputError(
      `-c ${connections}: needs about ${need} file descriptors but the soft limit is ${lim.soft}; run ulimit -n ${lim.hard} first`,
    );
  }
  const after = readNoFile();
  if (!after || after.soft < need) {
    throw new BadInputError(
      `-c ${connections}: needs about ${need} file descriptors but the soft limit is ${lim.soft}; run ulimit -n ${lim.hard} first`,
    );
  }
  return `raised the open-file limit from ${lim.soft} to ${after.soft} for ${connections} connections`;
}
