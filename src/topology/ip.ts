// Runs iproute2 and friends for the topologies: one command at a time, its stderr in the error.
import { execFile, execFileSync } from "node:child_process";

import { BadInputError } from "../errors.js";

export function run(cmd: string, args: string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(" ")}: ${String(stderr).trim() || err.message}`));
      else resolve(String(stdout));
    });
  });
}

/** Whether a command succeeds (for probes such as "does this kernel have netem"). */
export async function succeeds(cmd: string, args: string[]): Promise<boolean> {
  try {
    await run(cmd, args);
    return true;
  } catch {
    return false;
  }
}

/** The netns topology needs root and iproute2: refuse in one line otherwise (exit 2). */
export function requireRootAndIp(what: string): void {
  if (process.getuid?.() !== 0) {
    throw new BadInputError(`${what} needs root (it creates network namespaces); run as root, or use --topology local`);
  }
  try {
    execFileSync("ip", ["-V"], { stdio: "ignore" });
  } catch {
    throw new BadInputError(`${what} needs iproute2's "ip" on the PATH (apt-get install iproute2), or use --topology local`);
  }
}

/** Why the netns topology cannot run here, or null (for tests that skip with the reason). */
export function netnsUnavailableReason(): string | null {
  try {
    requireRootAndIp("the netns topology");
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
