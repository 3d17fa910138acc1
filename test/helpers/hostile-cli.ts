// The command line run as a careless user would, measured from outside: its exit code, stderr,
// how long it took and its peak resident memory (getrusage of a python3 parent, since node does
// not report a child's), and with stdout sent anywhere (a file, /dev/full).
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";

import { CLI, ROOT } from "./cli.js";

export interface MeasuredCli {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  peakRssKiB: number;
}

// Runs argv[1:], then prints the exit code and the children's peak RSS (KiB) on fd 3.
const PEAK = [
  "import os,resource,subprocess,sys",
  "r=subprocess.run(sys.argv[1:])",
  "os.write(3, f'{r.returncode} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}'.encode())",
].join("\n");

/** Runs `node dist/cli.js ...args`; `stdoutTo` a path sends stdout there instead of a pipe. */
export async function measureCli(args: string[], opts: { stdoutTo?: string; timeoutMs?: number } = {}): Promise<MeasuredCli> {
  const out = opts.stdoutTo === undefined ? "pipe" : openSync(opts.stdoutTo, "w");
  const t0 = performance.now();
  const child = spawn("python3", ["-c", PEAK, process.execPath, CLI, ...args], { cwd: ROOT, stdio: ["ignore", out, "pipe", "pipe"] });
  if (typeof out === "number") closeSync(out);
  let stdout = "";
  let stderr = "";
  let report = "";
  child.stdout?.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  child.stdio[3]!.on("data", (d) => (report += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
  await new Promise<void>((resolve) => child.on("close", () => resolve()));
  clearTimeout(timer);
  const [code, rss] = report.split(" ").map(Number);
  return { code: code ?? null, stdout, stderr, elapsedMs: performance.now() - t0, peakRssKiB: rss ?? Number.NaN };
}

/** The "one line naming what is wrong" of bad input: a single evbench line, no stack trace. */
export function oneLine(stderr: string): boolean {
  const lines = stderr.trimEnd().split("\n");
  return lines.length === 1 && lines[0]!.startsWith("evbench: ") && !/\n\s+at /.test(stderr);
}
