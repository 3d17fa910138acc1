// A target refuses a port another process holds (issue 28). The holder listens with SO_REUSEPORT,
// the case where the kernel would let any same-user socket that also sets it join the port and
// share its connections (the gnet binary with --threads 2 did, and printed READY). Every target,
// with one and with two threads, must print one line on stderr and exit 2, never READY.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TARGETS } from "../src/targets/registry.js";
import { HOST } from "./helpers/hostile.js";

// A listener with SO_REUSEPORT in another process; prints its port, lives until stdin closes.
const HOLDER = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
s.bind(("${HOST}", 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
sys.stdin.read()
`;
const python = spawnSync("python3", ["-c", "import socket; socket.SO_REUSEPORT"]).status === 0;

describe.skipIf(!python)(`a held port is refused${python ? "" : " (skipped: needs python3 for the holder)"}`, () => {
  let holder: ChildProcess;
  let port = 0;
  beforeAll(async () => {
    holder = spawn("python3", ["-c", HOLDER], { stdio: ["pipe", "pipe", "inherit"] });
    port = await new Promise<number>((resolve) => holder.stdout!.once("data", (d: Buffer) => resolve(Number(String(d).trim()))));
  });
  afterAll(() => {
    holder?.kill();
  });

  for (const def of TARGETS) {
    const why = def.unavailableReason();
    for (const threads of [1, 2]) {
      it.skipIf(why !== null)(
        `${def.name} --threads ${threads}: one line on stderr, exit 2${why ? ` (skipped: ${why})` : ""}`,
        async () => {
          const r = await runUntilExit(def.command(), [
            "--port",
            String(port),
            "--threads",
            String(threads),
            "--mode",
            "http",
            "--host",
            HOST,
          ]);
          expect(r.stdout, `${def.name} printed READY on a held port`).not.toMatch(/READY/);
          expect(r.code, `${def.name} exit code; stderr: ${r.stderr}`).toBe(2);
          const lines = r.stderr.trim().split("\n");
          expect(lines.length, `one line on stderr: ${r.stderr}`).toBe(1);
          expect(lines[0]).toMatch(new RegExp(`${port}`));
        },
        20_000,
      );
    }
  }
});

/** Runs the target with stdin held open (EOF would end it) until it exits or 10 s pass. */
function runUntilExit(
  c: { cmd: string; args: string[] },
  flags: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(c.cmd, [...c.args, ...flags], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => p.kill("SIGKILL"), 10_000);
    p.on("exit", (code) => {
      clearTimeout(timer);
      p.stdin.destroy();
      resolve({ code, stdout, stderr });
    });
  });
}
