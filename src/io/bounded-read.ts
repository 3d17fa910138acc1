// Reads a file the user named without trusting it: the path must be a regular file (a device
// such as /dev/zero, a fifo, a socket or a folder is refused before anything is read), it is
// opened non-blocking (a fifo swapped in after the check cannot hang open(), so SIGINT and SIGTERM
// still work), and it is read in chunks that stop past the limit, so a file that grows or lies
// about its size never lands whole in memory.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";

import { BadInputError } from "../errors.js";
import { formatBytes } from "../present/format.js";
import { READ_LIMITS, type ReadKind } from "./limits.js";

const CHUNK = 1024 * 1024;

function kindOf(s: Stats): string | null {
  if (s.isFile()) return null;
  if (s.isDirectory()) return "a folder";
  if (s.isFIFO()) return "a fifo (named pipe)";
  if (s.isSocket()) return "a socket";
  if (s.isCharacterDevice() || s.isBlockDevice()) return "a device";
  return "not a regular file";
}

function refuse(what: string, path: string, why: string): BadInputError {
  return new BadInputError(`${what} ${path}: ${why}`);
}

function tooLarge(what: string, path: string, limit: number): BadInputError {
  return refuse(what, path, `larger than ${formatBytes(limit)}, the limit for this input; give a smaller file`);
}

/** Refuses a path that is missing, special or too large before it is opened. */
function checkPath(path: string, what: string, limit: number): void {
  let s: Stats;
  try {
    s = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw refuse(what, path, `no such file (${code})`);
    if (code === "EACCES") throw refuse(what, path, "cannot read it (permission denied)");
    throw refuse(what, path, `cannot read it (${code ?? String(e)})`);
  }
  const kind = kindOf(s);
  if (kind) throw refuse(what, path, `is ${kind}; give a regular file`);
  if (s.size > limit) throw tooLarge(what, path, limit);
}

function openChecked(path: string, what: string): number {
  try {
    return openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw refuse(what, path, code === "EACCES" ? "cannot read it (permission denied)" : `cannot open it (${code ?? String(e)})`);
  }
}

function readAll(fd: number, path: string, what: string, limit: number): Buffer {
  const kind = kindOf(fstatSync(fd));
  if (kind) throw refuse(what, path, `is ${kind}; give a regular file`);
  const parts: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(CHUNK);
    const n = readSync(fd, chunk, 0, CHUNK, null);
    if (n === 0) break;
    total += n;
    if (total > limit) throw tooLarge(what, path, limit);
    parts.push(n === CHUNK ? chunk : chunk.subarray(0, n));
  }
  return Buffer.concat(parts, total);
}

/** The bytes of `path`, at most READ_LIMITS[kind]; `what` names the input in errors. */
export function readBounded(path: string, what: string, kind: ReadKind): Buffer {
  const limit = READ_LIMITS[kind];
  checkPath(path, what, limit);
  const fd = openChecked(path, what);
  try {
    return readAll(fd, path, what, limit);
  } finally {
    closeSync(fd);
  }
}

/** readBounded as UTF-8 text. */
export function readBoundedText(path: string, what: string, kind: ReadKind): string {
  return readBounded(path, what, kind).toString("utf8");
}
