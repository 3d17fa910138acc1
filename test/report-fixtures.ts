// Copies the fixture result folders (synthetic test data, see test/fixtures/results/make-fixtures.mjs)
// into a fresh temporary results directory, so tests can write reports without touching the repo.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "results");

export function copyFixtures(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "evbench-results-"));
  for (const name of readdirSync(FIXTURES)) {
    const p = path.join(FIXTURES, name);
    if (statSync(p).isDirectory() && name.startsWith("fixture-")) cpSync(p, path.join(dir, name), { recursive: true });
  }
  return dir;
}

/** Copies a fixture result of fixture-2c-xeon into `repo`'s results folder as `as`, re-stamped with
 *  a commit of that repository (and, when given, the time it was recorded). */
export function stampFixture(repo: string, fixture: string, sha: string, as: string, createdAt?: string): void {
  const o = JSON.parse(readFileSync(path.join(FIXTURES, "fixture-2c-xeon", fixture), "utf8")) as {
    git: { commit: string };
    createdAt: string;
  };
  o.git.commit = sha;
  if (createdAt !== undefined) o.createdAt = createdAt;
  const dir = path.join(repo, "results", "fixture-2c-xeon");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, as), JSON.stringify(o));
}
