// npm run sweep as a user runs it: bad input is one line and exit 2; --json prints exactly the
// result file's content; a sweep of a URL where nothing listens exits 1 before measuring.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { parseResultFile } from "../src/results/upgrade.js";
import { startCapacityServer } from "./fixtures/capacity-server.js";
import { closedPort } from "./fixtures/http-fixture.js";
import { runCli } from "./helpers/cli.js";

const results = mkdtempSync(join(tmpdir(), "evbench-sweep-cli-"));
const env = { EVBENCH_RESULTS_DIR: results };
afterAll(() => rmSync(results, { recursive: true, force: true }));

describe("npm run sweep", () => {
  it("refuses bad input with one line and exit 2", async () => {
    for (const [args, msg] of [
      [["sweep", "native"], /needs --slo/],
      [["sweep", "native", "--slo", "p98=1ms"], /--slo: "p98=1ms" is not an SLO/],
      [["sweep", "native", "--slo", "p99=1ms", "--connections", "0"], /--connections 0: out of range; expected 1\.\./],
      [["sweep", "seed-table", "--slo", "p99=1ms"], /no "sweep" section/],
      [["sweep", "no-such-thing", "--slo", "p99=1ms"], /no scenario "no-such-thing"/],
    ] as const) {
      const r = await runCli([...args], env).done;
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it("--json prints the result file's content, nothing else, and the steps keep their histograms", async () => {
    const server = await startCapacityServer({ serviceUs: 250, cpu: null });
    try {
      const r = await runCli(
        [
          "sweep",
          server.url,
          "--slo",
          "p99=500ms",
          "--start-rate",
          "1000",
          "--step-duration",
          "0.5",
          "--warmup",
          "0.2",
          "--connections",
          "64",
          "--json",
        ],
        env,
      ).done;
      expect(r.code, r.stderr).toBe(0);
      const doc = parseResultFile(JSON.parse(r.stdout));
      expect(r.stdout.trim().split("\n")).toHaveLength(1);
      const sw = doc.sweeps![0]!;
      expect(sw.knee[0]!.slo).toBe("p99<=500ms");
      expect(sw.knee[0]!.rps).not.toBeNull();
      expect(sw.reps[0]!.steps.every((s) => s.latencyHdr.length > 0 && s.clientCpuPct >= 0)).toBe(true);
      // A URL served on this machine: the server is found by its listening socket and its CPU sampled.
      expect(sw.reps[0]!.steps.every((s) => s.serverCpuPct !== null)).toBe(true);
      const file = /result: (.*\.json)/.exec(r.stderr)![1]!;
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(JSON.parse(r.stdout));
    } finally {
      await server.stop();
    }
  }, 90_000);

  it("exits 1 before any step when nothing listens at the URL, as load does", async () => {
    const port = await closedPort();
    const dir = mkdtempSync(join(tmpdir(), "evbench-sweep-refused-"));
    const r = await runCli(
      ["sweep", `http://127.0.0.1:${port}/`, "--slo", "p99=10ms", "--step-duration", "0.3", "--warmup", "0", "--start-rate", "200"],
      { EVBENCH_RESULTS_DIR: dir },
    ).done;
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr.trim()).toMatch(/^evbench: sweep: cannot connect to 127\.0\.0\.1:\d+: connection refused .*nothing was measured$/);
    expect(r.stdout).not.toMatch(/offered/); // no step ran
    expect(readdirSync(dir)).toEqual([]); // and no result was written
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
