// Interval logs: what load --histogram-log writes parses with hdr-histogram-js's log reader, and
// `hist merge` adds histograms exactly (totals of two real runs; known values across intervals).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type hdr from "hdr-histogram-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { intervalLogText, readIntervalLog } from "../src/hist/log.js";
import { newLatencyHistogram } from "../src/load/client-protocol.js";
import { runCli } from "./helpers/cli.js";
import { startHttpFixture, type HttpFixture } from "./helpers/http-fixture.js";

let work: string;
let fixture: HttpFixture;
const run = (args: string[]) => runCli(args).done;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "evbench-hist-"));
  fixture = await startHttpFixture();
});

afterAll(async () => {
  await fixture.close();
  rmSync(work, { recursive: true, force: true });
});

function histogramOf(values: number[]): hdr.Histogram {
  const h = newLatencyHistogram();
  for (const v of values) h.recordValue(v);
  return h;
}

describe("hist merge", () => {
  it("merges the logs of two real load runs to the sum of their answers", async () => {
    const counts: number[] = [];
    for (const name of ["a", "b"]) {
      const r = await run([
        "load",
        `http://127.0.0.1:${fixture.port}/`,
        "-d",
        "1s",
        "--warmup",
        "0",
        "-c",
        "2",
        "-q",
        "--json",
        "--histogram-log",
        join(work, `${name}.hlog`),
      ]);
      expect(r.code, r.stderr).toBe(0);
      const requests = JSON.parse(r.stdout).requests as number;
      counts.push(requests);
      const intervals = readIntervalLog(readFileSync(join(work, `${name}.hlog`), "utf8"));
      expect(intervals.reduce((s, i) => s + i.histogram.totalCount, 0)).toBe(requests);
    }
    const out = join(work, "merged.hgrm");
    const m = await run(["hist", "merge", join(work, "a.hlog"), join(work, "b.hlog"), "--json", "--hgrm", out]);
    expect(m.code, m.stderr).toBe(0);
    const merged = JSON.parse(m.stdout);
    expect(merged.total.count).toBe(counts[0]! + counts[1]!);
    expect(readFileSync(out, "utf8")).toMatch(new RegExp(`Total count\\s+=\\s+${counts[0]! + counts[1]!}\\]`));
  });

  it("adds known histograms exactly, per second, and honours --from/--to", async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const a = intervalLogText(
      [
        { startS: 0, endS: 1, histogram: histogramOf([100, 200, 300]) },
        { startS: 1, endS: 2, histogram: histogramOf([1000]) },
        { startS: 2, endS: 3, histogram: histogramOf([5000, 5000]) },
      ],
      t0,
      "client a",
    );
    const b = intervalLogText([{ startS: 1, endS: 2, histogram: histogramOf([2000, 3000]) }], t0, "client b");
    writeFileSync(join(work, "k1.hlog"), a);
    writeFileSync(join(work, "k2.hlog"), b);
    const all = JSON.parse((await run(["hist", "merge", join(work, "k1.hlog"), join(work, "k2.hlog"), "--json"])).stdout);
    expect(all.total.count).toBe(8);
    expect(all.timeline.map((s: { second: number; count: number }) => [s.second, s.count])).toEqual([
      [0, 3],
      [1, 3],
      [2, 2],
    ]);
    expect(all.timeline[1].maxUs).toBeGreaterThanOrEqual(2999);
    const mid = JSON.parse(
      (await run(["hist", "merge", join(work, "k1.hlog"), join(work, "k2.hlog"), "--from", "1s", "--to", "1s", "--json"])).stdout,
    );
    expect(mid.total.count).toBe(3);
  });

  it("refuses a file that is not there with one line and exit 2", async () => {
    const r = await run(["hist", "merge", join(work, "missing.hlog")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/missing\.hlog: no such file/);
  });
});
