// `target <name>`: one target in the foreground, so users can point their own tools at it.
// stdin, stdout and stderr are the target's own: type `stats` to read its counters.
import { spawn } from "node:child_process";

import { BadInputError } from "../errors.js";
import { findTarget, TARGETS, type TargetMode } from "../targets/registry.js";

export interface TargetOptions {
  name: string;
  port: number;
  threads: number;
  mode: TargetMode;
  host: string;
  cpus: number[] | null;
  extra: string[];
}

export async function targetCommand(o: TargetOptions): Promise<number> {
  const def = findTarget(o.name);
  if (!def) throw new BadInputError(`no target named "${o.name}"; registered: ${TARGETS.map((t) => t.name).join(", ")}`);
  if (!def.modes.includes(o.mode)) throw new BadInputError(`${def.name} has no ${o.mode} mode (it has: ${def.modes.join(", ")})`);
  const why = def.unavailableReason();
  if (why) {
    process.stderr.write(`${def.name} is unavailable: ${why}\n`);
    return 1;
  }
  const base = def.command();
  const args = [...base.args, "--port", String(o.port), "--threads", String(o.threads), "--mode", o.mode, "--host", o.host, ...o.extra];
  const [cmd, argv] = o.cpus ? ["taskset", ["-c", o.cpus.join(","), base.cmd, ...args]] : [base.cmd, args];
  process.stderr.write(`starting ${def.name}: ${[cmd, ...argv].join(" ")}\n(type "stats" for its counters; Ctrl-D or Ctrl-C stops it)\n`);
  const child = spawn(cmd as string, argv as string[], { stdio: "inherit" });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => resolve(signal ? 0 : (code ?? 1)));
    child.on("error", (e) => {
      process.stderr.write(`${def.name}: ${e.message}\n`);
      resolve(1);
    });
  });
}
