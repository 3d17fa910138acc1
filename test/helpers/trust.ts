// Shared by the trust suites: scenario files written for a test, and the temp files a run may
// leave behind.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const trustDir = mkdtempSync(join(tmpdir(), "evbench-trust-"));

export function writeScenario(name: string, body: Record<string, unknown>): string {
  const p = join(trustDir, `${name}.json`);
  writeFileSync(p, JSON.stringify({ name, warmupS: 0.5, durationS: 2, repetitions: 1, serverThreads: 1, ...body }));
  return p;
}

/** Temporary files of the harness's making in the temp folder that name a given runner pid. */
export function tempFilesOf(pid: number): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith("evbench-") && n.includes(`-${pid}-`));
}

/** Removes the scenario files and results a suite wrote. */
export function removeTrustDir(): void {
  rmSync(trustDir, { recursive: true, force: true });
}
