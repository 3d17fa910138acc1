// Runs a process under the real-time FIFO scheduler (chrt -f) where the machine allows it, so a
// test whose law is about time (a queue's wait) measures its processes and not the other
// programs on a busy machine. Both processes of such a test sleep almost all the time, so the
// priority takes nothing from the others; the kernel caps real-time use at 95 % of a CPU.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { DIST_DIR } from "../../src/paths.js";
import { deserializeResult, parseClientLine } from "../../src/load/client-protocol.js";
import { sendSpec } from "../../src/load/spec-pipe.js";
import type { LoadResult, LoadSpec } from "../../src/load/types.js";

const PRIORITY = "20";

let cached: boolean | null = null;
/** True when chrt can give a process real-time priority here (root, or CAP_SYS_NICE). */
export function realtimeAvailable(): boolean {
  if (cached === null) {
    try {
      execFileSync("chrt", ["-f", PRIORITY, "true"], { stdio: "ignore" });
      cached = true;
    } catch {
      cached = false;
    }
  }
  return cached;
}

/** cmd args, under chrt -f when available. */
export function spawnRealtime(cmd: string, args: string[]): ChildProcessWithoutNullStreams {
  return realtimeAvailable() ? spawn("chrt", ["-f", PRIORITY, cmd, ...args]) : spawn(cmd, args);
}

/** The native client process (dist/bin/native-client.js) run as the runner runs it, at real-time priority. */
export async function runNativeClientRealtime(spec: LoadSpec & Record<string, unknown>): Promise<LoadResult> {
  const child = spawnRealtime(process.execPath, [join(DIST_DIR, "bin", "native-client.js")]);
  sendSpec(child.stdin, spec); // its spec on stdin, which stays open: its EOF would stop the client
  let result: LoadResult | null = null;
  let error: string | null = null;
  createInterface({ input: child.stdout }).on("line", (line) => {
    const m = parseClientLine(line);
    if (m?.type === "result") result = deserializeResult(m.result);
    if (m?.type === "error") error = m.message;
  });
  await new Promise<void>((resolve) => child.once("exit", () => resolve()));
  if (error !== null) throw new Error(`native client failed: ${error}`);
  if (result === null) throw new Error("native client exited without a result");
  return result;
}
