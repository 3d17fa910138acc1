// Issue 12, "processes outlive their runner": a runner killed with SIGKILL (no handler runs)
// leaves no target, no client (native, autocannon, wrk and its shell) and no temporary file:
// each child watches its parent (stdin EOF, PR_SET_PDEATHSIG) and dies with it.
import { readFileSync } from "node:fs";

import { afterAll, describe, expect, it } from "vitest";

import { findTarget } from "../src/targets/registry.js";
import { startFixture } from "./fixtures/http-fixture.js";
import { runCli } from "./helpers/cli.js";
import { hasWrk, markedPids, waitFor } from "./helpers/procs.js";
import { removeTrustDir, tempFilesOf, writeScenario } from "./helpers/trust.js";

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

/** The client process of each generator, by its command name. */
const CLIENT_COMM = { native: "node", autocannon: "node", wrk: "wrk" } as const;

/** Starts the command with a mark every process of the run inherits, SIGKILLs the runner once
 *  its load client runs, and returns what is left of the run 2.5 s later. */
async function killMidRun(args: string[], generator: keyof typeof CLIENT_COMM, mark: string) {
  const run = runCli(args, { EVBENCH_RUN_MARK: mark });
  const runnerPid = run.child.pid!;
  // the client (a marked process of the client's kind other than the runner) is under way
  await waitFor(
    () =>
      markedPids(`EVBENCH_RUN_MARK=${mark}`).some(
        (p) => p !== runnerPid && commOf(p) === CLIENT_COMM[generator] && (generator === "wrk" || cmdline(p).includes("-client.js")),
      ),
    30_000,
    `the ${generator} client`,
  );
  await new Promise((r) => setTimeout(r, 1000));
  run.child.kill("SIGKILL");
  await run.done;
  // Every child notices within a poll or at its stdin's EOF; on a loaded machine (CI runs the
  // suite's files in parallel) the eBPF loader's detach and a client's exit took more than 2.5 s.
  const end = Date.now() + 6000;
  while (Date.now() < end && markedPids(`EVBENCH_RUN_MARK=${mark}`).length > 0) await new Promise((r) => setTimeout(r, 100));
  return { left: markedPids(`EVBENCH_RUN_MARK=${mark}`).map((p) => `${p} ${cmdline(p)}`), files: tempFilesOf(runnerPid) };
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

const cases: { generator: "native" | "autocannon" | "wrk"; target: string }[] = [
  { generator: "native", target: "native" },
  { generator: "autocannon", target: "node-http" },
  { generator: "wrk", target: "c-floor" },
  { generator: "native", target: "nethttp" },
];

afterAll(removeTrustDir);

describe("kill -9 of the runner leaves nothing", () => {
  for (const c of cases) {
    it.skipIf((c.generator === "wrk" && !hasWrk()) || findTarget(c.target)?.unavailableReason())(
      `bench with ${c.generator} against ${c.target}`,
      async () => {
        const mark = `kill9-bench-${c.generator}-${process.pid}`;
        const file = writeScenario(`kill9-${c.generator}`, {
          targets: [c.target],
          load: { generator: c.generator, connections: 4, method: "GET", path: "/plaintext" },
          warmupS: 1,
          durationS: 30,
        });
        const r = await killMidRun(["bench", file, "--out", `${file}.result.json`], c.generator, mark);
        expect(r.left).toEqual([]);
        expect(r.files).toEqual([]);
      },
      90_000,
    );
  }

  for (const generator of ["native", "wrk"] as const) {
    it.skipIf(generator === "wrk" && !hasWrk())(
      `load with ${generator}`,
      async () => {
        // a target started by the test (not by the runner): only the runner's children must go
        const mark = `kill9-load-${generator}-${process.pid}`;
        const fx = await startFixture();
        const port = fx.port;
        try {
          const r = await killMidRun(
            ["load", `http://127.0.0.1:${port}/plaintext`, "-c", "4", "-d", "30", "--warmup", "0", "--generator", generator],
            generator,
            mark,
          );
          expect(r.left).toEqual([]);
          expect(r.files).toEqual([]);
        } finally {
          await fx.stop();
        }
      },
      90_000,
    );
  }
});
