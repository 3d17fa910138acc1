// `target <name>`: one target in the foreground, so people can point their own tools at it.
// The target's contract is that EOF on its stdin stops it (so it never outlives the runner).
// In the foreground this command holds the target's stdin pipe itself, so the target serves
// until Ctrl-C or SIGTERM even when this command's stdin is /dev/null (a script's background
// job). Only a terminal's input is forwarded (type "stats"), and only a terminal's Ctrl-D stops.
import { MODES, type Mode } from "../model/index.js";
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { createInterface } from "node:readline";

import { didYouMean } from "../did-you-mean.js";
import { BadInputError } from "../errors.js";
import { findTarget, TARGETS, type TargetDef } from "../targets/registry.js";
import { defineCommand, type Outcome } from "./define.js";
import { choice, cpus, flag, int, str } from "./options.js";
import { targetProtocol } from "./target-tls.js";
import { bounds, RANGES } from "../model/index.js";

/** Refuses an address another process holds, or a host that is not this machine's (port 0 still
 * checks the host): one line and exit 2 instead of the target's error. */
async function checkAddressFree(host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const s = net.createServer();
    s.once("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE")
        reject(new BadInputError(`--port ${port}: ${host}:${port} is already in use; stop what listens there or pick another port`));
      else if (e.code === "EADDRNOTAVAIL") reject(new BadInputError(`--host ${host}: not an address of this machine; use 127.0.0.1`));
      else if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN" || e.code === "EAI_NONAME") {
        reject(new BadInputError(`--host ${host}: cannot be resolved (${e.code}); give an address of this machine, e.g. 127.0.0.1`));
      } else if (e.code === "EACCES")
        reject(new BadInputError(`--port ${port}: permission denied (ports below 1024 need privileges); pick a port above 1024`));
      else reject(e);
    });
    s.listen({ host, port, exclusive: true }, () => s.close(() => resolve()));
  });
}

/** Forwards a terminal's lines to the target; Ctrl-D (EOF of the terminal) stops the target. */
function forwardTerminal(child: ChildProcess): void {
  if (!process.stdin.isTTY || !child.stdin) return;
  const rl = createInterface({ input: process.stdin });
  rl.on("line", (l) => child.stdin?.write(l + "\n"));
  rl.on("close", () => child.stdin?.end());
  child.once("exit", () => rl.close());
}

function resolveTarget(name: string, mode: Mode): TargetDef {
  const def = findTarget(name);
  if (!def)
    throw new BadInputError(
      `no target named "${name}"${didYouMean(
        name,
        TARGETS.map((t) => t.name),
      )}; registered: ${TARGETS.map((t) => t.name).join(", ")}`,
    );
  if (!def.modes.includes(mode))
    throw new BadInputError(`--mode ${mode}: ${def.name} has no ${mode} mode (it has: ${def.modes.join(", ")})`);
  return def;
}

function stopOnSignals(child: ChildProcess): () => void {
  const stop = (sig: NodeJS.Signals) => {
    child.stdin?.end(); // the contract's stop; the signal follows for targets mid-start-up
    child.kill(sig);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return () => {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  };
}

export const targetSpec = defineCommand({
  name: "target",
  summary: "run one target in the foreground (until Ctrl-C or SIGTERM)",
  positionals: [{ name: "name", help: "a registered target (npm run list)" }],
  passthrough: "extra target flags",
  notes:
    'On a terminal, type "stats" for its counters; Ctrl-D, Ctrl-C or SIGTERM stops it.\nWith stdin not a terminal (a script, /dev/null) it serves until SIGINT or SIGTERM.',
  options: {
    port: int({ help: "port to listen on (0: any free port, printed on READY)", min: 0, max: 65535, default: 8080 }),
    threads: int({ help: "server threads", ...bounds(RANGES.threads), default: 1 }),
    mode: choice({ help: "what it answers", choices: MODES, default: "http" }),
    host: str({ help: "address to listen on", default: "127.0.0.1" }),
    cpus: cpus({ help: "pin the target to these CPUs (taskset)" }),
    tls: flag({ help: "serve TLS with a certificate made for this run (its CA file is printed; removed at exit)" }),
    cert: str({ help: "serve TLS with your own certificate (PEM; with --key)" }),
    key: str({ help: "the private key of --cert (PEM)" }),
    h2c: flag({ help: "serve cleartext HTTP/2 (prior knowledge), where the target speaks it" }),
  },
  run: async (v, positionals, extra, ctx): Promise<Outcome> => {
    const def = resolveTarget(positionals[0]!, v.mode);
    const why = def.unavailableReason();
    if (why) {
      ctx.err(`${def.name} is unavailable: ${why}`);
      return { text: "", exitCode: 1 };
    }
    await checkAddressFree(v.host, v.port);
    const proto = await targetProtocol(def, v);
    if (proto.files?.ca)
      ctx.err(`TLS with this run's certificate; its CA: ${proto.files.ca} (curl --cacert ${proto.files.ca} https://...)`);
    const base = def.command();
    const contract = ["--port", String(v.port), "--threads", String(v.threads), "--mode", v.mode, "--host", v.host];
    const args = [...base.args, ...contract, ...proto.args, ...extra];
    const [cmd, argv] = v.cpus ? ["taskset", ["-c", v.cpus.join(","), base.cmd, ...args]] : [base.cmd, args];
    ctx.err(`starting ${def.name}: ${[cmd, ...argv].join(" ")}`);
    ctx.err(process.stdin.isTTY ? '(type "stats" for its counters; Ctrl-D or Ctrl-C stops it)' : "(serving until SIGINT or SIGTERM)");
    const child = spawn(cmd, argv, { stdio: ["pipe", "inherit", "inherit"] });
    const unhook = stopOnSignals(child);
    forwardTerminal(child);
    const exitCode = await new Promise<0 | 1>((resolve) => {
      child.on("exit", (code, signal) => resolve(signal || code === 0 ? 0 : 1));
      child.on("error", (e) => {
        ctx.err(`${def.name}: ${e.message}`);
        resolve(1);
      });
    });
    unhook();
    proto.files?.remove();
    return { text: "", exitCode };
  },
});
