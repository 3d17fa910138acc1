// bench keeps every run's interval histograms (one per second, compressed, adding up to the
// run's latencyHdr), and the report draws each run's per-second timeline with its warm-up:
// a real `bench quick --generator native` on loopback, then `report` over its results folder.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

import hdr from "hdr-histogram-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { reportCommand } from "../src/report/index.js";
import { runTimeline } from "../src/report/timeline.js";
import type { RunOk } from "../src/model/index.js";
import { parseResultFile } from "../src/results/upgrade.js";
import { runCli } from "./helpers/cli.js";

let results = "";
let run: RunOk;
let folder = "";

beforeAll(async () => {
  results = mkdtempSync(join(tmpdir(), "evbench-timeline-"));
  const r = await runCli(["bench", "quick", "--generator", "native", "--duration", "3", "--json"], { EVBENCH_RESULTS_DIR: results }).done;
  expect(r.code, r.stderr).toBe(0);
  const file = /result: (.+)/.exec(r.stderr)![1]!;
  folder = dirname(file);
  const parsed = parseResultFile(JSON.parse(readFileSync(file, "utf8")));
  const first = parsed.runs[0]!;
  if (first.status !== "ok") throw new Error(`the run failed: ${JSON.stringify(first)}`);
  run = first;
}, 90_000);

afterAll(() => rmSync(results, { recursive: true, force: true }));

const decode = (b64: string) => hdr.decodeFromCompressedBase64(b64, 64, false);

describe("bench's interval histograms and the report's timeline", () => {
  it("keeps one histogram per second of the window, adding up to the run's", () => {
    const hdrs = run.intervalsHdr!;
    expect(hdrs.length).toBe(run.perSecond.length);
    const merged = decode(run.latencyHdr);
    const total = decode(run.latencyHdr);
    merged.reset();
    hdrs.forEach((b64, k) => {
      const h = decode(b64);
      expect(h.totalCount).toBe(run.perSecond[k]);
      merged.add(h);
    });
    expect(merged.totalCount).toBe(run.requests);
    expect(merged.getValueAtPercentile(99)).toBe(total.getValueAtPercentile(99));
  });

  it("turns them into a timeline after the warm-up", () => {
    const tl = runTimeline(run)!;
    expect(tl.warmupS).toBe(run.load.warmupS);
    expect(tl.seconds.length).toBe(run.perSecond.length);
    expect(tl.seconds[0]!.t).toBeGreaterThan(run.load.warmupS);
    expect(tl.seconds.every((s) => s.rps > 0 && s.p99Us !== null && s.p99Us > 0)).toBe(true);
  });

  it("the report draws it, warm-up marked", async () => {
    const written = (await reportCommand({ paths: [folder], resultsDir: results })).written;
    const html = written
      .filter((w) => /report-[^/]+\.html$/.test(w))
      .map((w) => readFileSync(w, "utf8"))
      .join("\n");
    expect(html).toContain("Every run, second by second");
    expect(html).toContain("grey: warm-up, not recorded");
    // The p99 axis speaks the report's one unit system (845 µs, 1.02 ms), not SI on ms ("200m").
    const figure = /<figure[^>]*id="[^"]*-timeline"[\s\S]*?<\/figure>/.exec(html)?.[0] ?? "";
    expect(figure).toMatch(/>\d+(\.\d+)? (µs|ms|s)</);
    expect(figure).not.toMatch(/>\d+(\.\d+)?m</);
    expect(figure).not.toContain("p99 (ms)");
  });
});
