// The connection-levels scenario in its CI form, end to end on real processes: the real
// scenario's targets at 1k and 5k connections with short windows, each in a memory cgroup;
// a target whose cgroup is too small for its connections is OOM-killed and its curve ends with
// that reason while the others go on; a level past the descriptor limit is refused before
// anything runs (exit 2). The cgroups are gone afterwards.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

import { describe, expect, it } from "vitest";

import { findCgroupRoot } from "../src/cgroup/memory.js";
import { parseResultFile } from "../src/results/upgrade.js";
import { readMachineLimits } from "../src/scaling/capacity.js";
import { ROOT, runCli } from "./helpers/cli.js";

const root = findCgroupRoot();
const dir = mkdtempSync(join(tmpdir(), "evbench-levels-"));
const real = JSON.parse(readFileSync(join(ROOT, "scenarios", "seed-table-connections.json"), "utf8"));

/** The real scenario with CI-sized levels and windows (and any other changes). */
function ciScenario(name: string, changes: Record<string, unknown>, scaling: Record<string, unknown>): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      ...real,
      name,
      durationS: 1.5,
      repetitions: 1,
      ...changes,
      scaling: { ...real.scaling, connections: [1000, 5000], rampS: 3, holdS: 0.5, ...scaling },
    }),
  );
  return file;
}

/** bench into a results folder of its own (as `report` reads them); the result read back. */
async function bench(file: string) {
  const results = mkdtempSync(join(dir, "results-"));
  const r = await runCli(["bench", file, "--quiet"], { EVBENCH_RESULTS_DIR: results }).done;
  const out = /result: (.+)/.exec(r.stdout)?.[1];
  return { ...r, out, result: out ? parseResultFile(JSON.parse(readFileSync(out, "utf8"))) : null };
}

function ourGroups(): string[] {
  if ("unavailable" in root) return [];
  return readdirSync(root.dir).filter((n) => n.startsWith("evbench-scaling-"));
}

describe.skipIf("unavailable" in root)("bench seed-table-connections (CI form)", () => {
  it("measures every level of each target with its per-connection costs, curves and fits", async () => {
    const before = ourGroups();
    const r = await bench(ciScenario("levels-ci", { targets: ["native", "gnet", "nethttp"] }, {}));
    const result = r.result!;
    for (const t of ["native", "gnet", "nethttp"]) {
      for (const n of [1000, 5000]) {
        const run = result.runs.find((x) => x.target === t && x.variant === `c${n}`)!;
        expect(run.status, `${t} c${n}: ${run.status === "failed" ? run.failure : ""}`).toBe("ok");
        if (run.status !== "ok") continue;
        expect(run.load.connections).toBe(n);
        // Held: all N but the 1 % a run may lose (a SYN in its retry backoff on a loaded machine).
        expect(run.connections!.held, `${t} c${n} (ListenOverflows ${run.connections!.listenOverflows})`).toBeGreaterThanOrEqual(0.99 * n);
        expect(run.connections!.held).toBeLessThanOrEqual(n);
        expect(run.connections!.kernelBytesPerConn).toBeGreaterThan(0);
        expect(run.connections!.cgroup.version).toBe(root.version);
        // The rate spread over N is reached, or the run says it was not (a loaded CI machine).
        expect(run.rps, `${t} c${n}`).toBeGreaterThan(0);
        if (run.rps < 0.95 * real.scaling.rate)
          expect(
            run.verdict!.reasons.map((x) => x.code),
            `${t} c${n}: ${run.rps} req/s`,
          ).toContain("rate-unreached");
      }
      const curve = result.scaling!.curves.find((c) => c.target === t)!;
      expect(curve, `${t}: ${curve.reason}`).toMatchObject({ reached: 5000, stoppedAt: null, reason: null });
      expect(curve.points.map((p) => p.connections)).toEqual([1000, 5000]);
      expect(curve.fits.userBytesHeld!.n).toBe(2);
      expect(curve.projections.userBytesHeld!.map((p) => p.connections)).toEqual([100_000, 1_000_000]);
    }
    // A goroutine per connection (net/http) costs more user memory than an event loop's connection (gnet).
    const perConn = (t: string) => result.scaling!.curves.find((c) => c.target === t)!.points[1]!.values.userBytesPerConn!;
    expect(perConn("nethttp")).toBeGreaterThan(4 * perConn("gnet"));
    // Go's goroutines and GC share come from the control channel.
    const go = result.runs.find((x) => x.target === "nethttp" && x.variant === "c5000");
    expect(go?.status === "ok" && typeof go.targetExtra?.atWindowEnd.goroutines).toBe("number");
    expect(r.stdout).toMatch(/Past the limit, by the cost model \(projected, never measured\)/);
    expect(ourGroups().filter((g) => !before.includes(g))).toEqual([]); // none of this run's groups is left
    // The report draws the curves: one chart per panel, measured and projected told apart.
    const rep = await runCli(["report", dirname(r.out!)]).done;
    expect(rep.code, rep.stderr).toBe(0);
    // Each scenario has its own page (report.html is the folder's index).
    const html = readFileSync(join(dirname(r.out!), "report-levels-ci.html"), "utf8");
    for (const title of [
      "User-space memory per connection",
      "Kernel memory per connection",
      "Latency p99 against connections",
      "Server CPU per request against connections",
    ])
      expect(html).toContain(title);
    expect(html).toMatch(/Dashed: projected by the cost model to 1,000,000 connections, never measured/);
    expect(readFileSync(join(dirname(r.out!), "report.md"), "utf8")).toMatch(/\(projected\)/);
  }, 120_000);

  it("ends the curve of a target OOM-killed in its cgroup with that reason, and goes on with the others", async () => {
    const r = await bench(
      ciScenario("levels-oom", { targets: ["nethttp", "gnet"] }, { connections: [1000], memoryLimitBytes: { target: 24 * 2 ** 20 } }),
    );
    const result = r.result!;
    const nethttp = result.scaling!.curves.find((c) => c.target === "nethttp")!;
    expect(nethttp.stoppedAt).toBe(1000);
    expect(nethttp.reason).toMatch(/^oom: the kernel killed \d+ process\(es\) of the target in its memory cgroup \(limit 24(\.0)? MiB/);
    expect(result.scaling!.curves.find((c) => c.target === "gnet")).toMatchObject({ reached: 1000, stoppedAt: null });
    expect(r.code).toBe(1); // a failed run, recorded; the runner itself lived to write the result
  }, 60_000);

  it("refuses a level whose memory at the previous level's measured cost would not fit the cgroup", async () => {
    // net/http holds 1k connections in ~40 MiB; 5k at that cost would need well over 64 MiB.
    const r = await bench(ciScenario("levels-mem", { targets: ["nethttp"] }, { memoryLimitBytes: { target: 64 * 2 ** 20 } }));
    const result = r.result!;
    expect(result.runs.map((x) => [x.variant, x.status])).toEqual([
      ["c1000", "ok"],
      ["c5000", "failed"],
    ]);
    const curve = result.scaling!.curves[0]!;
    expect(curve).toMatchObject({ reached: 1000, stoppedAt: 5000 });
    expect(curve.reason).toMatch(
      /^refused: level 5000 connections needs about [\d.]+ MiB in the target's memory cgroup at the 1000-connection level's cost \([\d.]+ KiB per connection\), over its limit of 64(\.0)? MiB: raise scaling\.memoryLimitBytes\.target/,
    );
  }, 60_000);

  it("refuses a level past the descriptor limit before anything runs", async () => {
    const limit = readMachineLimits().nofileHard;
    const r = await bench(ciScenario("levels-1m", {}, { connections: [1000, 1_000_000] }));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        new RegExp(
          `scaling\\.connections: level 1000000 connections needs 1000100 descriptors in the target's process, over RLIMIT_NOFILE ${limit} \\(hard\\): raise`,
        ),
      ),
    ]);
    expect(r.stdout).not.toMatch(/req\/s/);
  }, 30_000);
});
