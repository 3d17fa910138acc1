// The example Go service (examples/json-api) for the user-target tests: built once per test
// file into a temporary folder, and started by hand for the URL form.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { ROOT } from "./cli.js";

export const EXAMPLE_DIR = join(ROOT, "examples", "json-api");

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `evbench-user-${tag}-`));
}

export function buildExample(dir: string): string {
  const bin = join(dir, "json-api");
  execFileSync("go", ["build", "-o", bin, "."], { cwd: EXAMPLE_DIR, stdio: "pipe" });
  return bin;
}

export function writeScenario(dir: string, name: string, body: Record<string, unknown>): string {
  const p = join(dir, `${name}.json`);
  writeFileSync(
    p,
    JSON.stringify({ name, warmupS: 0.3, durationS: 1.5, load: { generator: "native", connections: 4, path: "/api/items" }, ...body }),
  );
  return p;
}

/** The example started by the test itself (the URL form measures a server it did not start). */
export async function startExample(bin: string, port: number): Promise<ChildProcess> {
  const child = spawn(bin, ["--addr", `127.0.0.1:${port}`], { stdio: ["ignore", "ignore", "pipe"], detached: true });
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (d: Buffer) => d.toString().includes("listening on") && resolve());
    child.once("exit", (c) => reject(new Error(`example exited with ${c}`)));
  });
  return child;
}
