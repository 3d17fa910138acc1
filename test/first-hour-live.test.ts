// The live view and the recorded seconds read one source (issue 27): piped, `load` prints one
// line as each second of the window ends, and the req/s it shows for second k is the k-th
// figure of --json's perSecond and of --csv, from the native generator's per-second counters.
// The first second is shown (never 0 req/s from a rate with no time span).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { formatCount } from "../src/present/format.js";
import { runCli } from "./helpers/cli.js";
import { startHttpFixture, type HttpFixture } from "./helpers/http-fixture.js";

let fixture: HttpFixture;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "evbench-first-hour-live-"));
  fixture = await startHttpFixture();
});

afterAll(async () => {
  await fixture.close();
  rmSync(work, { recursive: true, force: true });
});

describe("live view against the recorded seconds", () => {
  it("shows every second of the window once, with the figure --json and --csv record for it", async () => {
    const csv = join(work, "seconds.csv");
    const r = await runCli([
      "load",
      `http://127.0.0.1:${fixture.port}/`,
      "-d",
      "3s",
      "--warmup",
      "500ms",
      "-c",
      "2",
      "--json",
      "--csv",
      csv,
    ]).done;
    expect(r.code, r.stderr).toBe(0);
    const perSecond = (JSON.parse(r.stdout) as { perSecond: number[] }).perSecond;
    expect(perSecond).toHaveLength(3);
    const rows = readFileSync(csv, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => Number(l.split(",")[1]));
    expect(rows).toEqual(perSecond);

    const measured = r.stderr.split("\n").filter((l) => / measure /.test(l));
    const shown = measured.map((l) => /([\d.]+[kM]?|-) req\/s \(second (\d+)\)/.exec(l)).filter((m) => m !== null);
    expect(
      shown.map((m) => Number(m[2])),
      r.stderr,
    ).toEqual([1, 2, 3]);
    for (const m of shown) expect(m[1], m.input).toBe(formatCount(perSecond[Number(m[2]) - 1]!));
    expect(r.stderr).not.toMatch(/ measure .* 0 req\/s/);
  }, 60_000);
});
