// An export written after the work is done (--csv, --hgrm, --histogram-log): a failure to write it
// (a full disk, /dev/full, a folder removed meanwhile) comes back as one line, not an exception,
// so a measured run still prints its summary.
import { writeFileSync } from "node:fs";

import { describeWriteError } from "./stdout.js";

/** Writes `text` to `path`; returns null, or the one line that says why it could not be written. */
export function writeOutputFile(path: string, text: string, what: string): string | null {
  try {
    writeFileSync(path, text);
    return null;
  } catch (e) {
    return `${what} ${path}: cannot write it (${describeWriteError(e)})`;
  }
}
