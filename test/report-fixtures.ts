// Copies the fixture result folders (synthetic test data, see test/fixtures/results/make-fixtures.mjs)
// into a fresh temporary results directory, so tests can write reports without touching the repo.
import { cpSync, mkdtempSync, readdirSync, statSync } from "node:fs";
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
