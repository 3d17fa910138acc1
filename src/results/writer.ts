// Writes result files atomically (temporary file, then rename) and never over another result:
// the first write claims a fresh name with link(), which fails if the name exists.
import { linkSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

import { makeDirs } from "../io/make-dirs.js";

export function utcStamp(d = new Date()): string {
  return d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

export class ResultWriter {
  private path: string | null = null;

  constructor(
    private readonly dir: string,
    private readonly baseName: string,
    private readonly explicitPath: string | null = null,
  ) {}

  /** The file written so far (null before the first write). */
  get file(): string | null {
    return this.path;
  }

  /** The file the first write will claim unless that name is taken (then a `-N` suffix). */
  get plannedFile(): string {
    return this.explicitPath ?? join(this.dir, `${this.baseName}.json`);
  }

  write(data: unknown): string {
    const text = JSON.stringify(data, null, 2) + "\n";
    if (this.path) {
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, text);
      renameSync(tmp, this.path);
      return this.path;
    }
    const first = this.plannedFile;
    makeDirs(dirname(first)); // not mkdirSync recursive: it never returns under /proc
    const tmp = `${first}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    try {
      for (let i = 0; ; i++) {
        const candidate = i === 0 ? first : first.replace(/\.json$/, `-${i}.json`);
        try {
          linkSync(tmp, candidate);
          this.path = candidate;
          return candidate;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
          if (this.explicitPath) throw new Error(`${candidate} exists; refusing to overwrite a result`);
        }
      }
    } finally {
      unlinkSync(tmp);
    }
  }
}
