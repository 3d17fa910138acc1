// Claimed vs measured (src/report/claims.ts) on a fixture result (synthetic measured numbers; the
// claims are the handbook's table T7 as recorded in docs/handbook.md).
import path from "node:path";

import { describe, expect, it } from "vitest";

import { buildClaimsReport } from "../src/present/claims.js";
import { readResultFile } from "../src/results/reader.js";
import { FIXTURES } from "./report-fixtures.js";

const FILE = path.join(FIXTURES, "fixture-2c-xeon", "20250101T100000Z-t7-plain.json");

describe("claims report", () => {
  it("takes ratios to the reference row, claimed and measured, and lists every divergence", async () => {
    const { result, claims } = await readResultFile(FILE);
    const c = buildClaimsReport(result, claims)!;
    expect(c.reference).toBe("nethttp");
    const rps = (t: string) => result.summary.find((r) => r.target === t)!.rps!;
    const gnet = c.rows.find((r) => r.claimKey === "gnet" && r.metric === "rps")!;
    expect(gnet.claimedRatio).toBeCloseTo(248000 / 42000, 12);
    expect(gnet.measuredRatio!.value).toBeCloseTo(rps("gnet").median / rps("nethttp").median, 12);
    // Conservative interval: numerator's low end over the denominator's high end, and back.
    expect(gnet.measuredRatio!.lo).toBeCloseTo(rps("gnet").lo / rps("nethttp").hi, 12);
    expect(gnet.measuredRatio!.hi).toBeCloseTo(rps("gnet").hi / rps("nethttp").lo, 12);
    expect(gnet.diverges).toBe(true);
    expect(gnet.clientBound).toBe(true);
    // The reference row has values but no ratios.
    const ref = c.rows.find((r) => r.claimKey === "nethttp" && r.metric === "rps")!;
    expect(ref.claimedRatio).toBeNull();
    expect(ref.measured!.median).toBe(rps("nethttp").median);
    expect(c.divergences[0]).toMatch(/^gnet\/nethttp req\/s: claimed 5\.905x, measured \d\.\d{3}x \(interval \d\.\d{3}x-\d\.\d{3}x\)/);
    expect(c.divergences).toHaveLength(c.rows.filter((r) => r.diverges).length);
  });

  it("a claim inside the measured interval is no divergence; unmatched rows are named", async () => {
    const { result } = await readResultFile(FILE);
    const rps = (t: string) => result.summary.find((r) => r.target === t)!.rps!;
    const measured = rps("gnet").median / rps("nethttp").median;
    const scenario = {
      ...result.scenario,
      claims: {
        source: "test",
        condition: "test",
        reference: "nethttp",
        rows: { gnet: { rps: measured * 1000 }, nethttp: { rps: 1000 }, fasthttp: { rps: 5 } },
      },
    };
    const c = buildClaimsReport({ ...result, scenario })!;
    expect(c.rows.find((r) => r.claimKey === "gnet")!.diverges).toBe(false);
    expect(c.divergences).toEqual([]);
    expect(c.unmatched).toEqual(["fasthttp"]);
  });

  it("no claims: null", async () => {
    const { result } = await readResultFile(FILE);
    expect(buildClaimsReport({ ...result, scenario: { ...result.scenario, claims: null } })).toBeNull();
  });
});
