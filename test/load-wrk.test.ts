// The wrk generator against a real server: its counts agree with the server's own, its
// latency arrives as an HdrHistogram, and pipelining multiplies the requests per write.
import { execFileSync } from "node:child_process";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { LoadSpec } from "../src/load/types.js";
import { parseWrkOutput, wrkGenerator, wrkToResult } from "../src/load/wrk.js";
import { WRK_QUANTILES, WRK_RESULT_MARK } from "../src/load/wrk-script.js";
import { startFixture, type Fixture } from "./fixtures/http-fixture.js";
import { testSpec } from "./helpers/load-spec.js";

function hasWrk(): boolean {
  try {
    execFileSync("wrk", ["-v"], { stdio: "ignore" });
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

// wrk runs whole seconds: a one-second warm-up and window.
const spec = (port: number, over: Partial<LoadSpec> = {}): LoadSpec => testSpec(port, { warmupS: 1, ...over });

describe("wrk output", () => {
  it("rebuilds a histogram whose count is the request count and whose quantiles are wrk's", () => {
    const quantiles = Array.from({ length: WRK_QUANTILES }, (_, i) => 100 + i); // 100..1099 us
    const line = `${WRK_RESULT_MARK}${JSON.stringify({ requests: 10_007, durationUs: 2_000_000, bytes: 1, errors: { connect: 1, read: 2, write: 3, status: 4, timeout: 5 }, mean: 600, max: 1099, min: 100, quantiles })}`;
    const r = wrkToResult(parseWrkOutput(`Running 2s test\n${line}\n`));
    expect(r.requests).toBe(10_007);
    expect(r.latency.totalCount).toBe(10_007);
    expect(r.rps).toBeCloseTo(5003.5, 1);
    expect(r.latency.getValueAtPercentile(10)).toBeGreaterThanOrEqual(199);
    expect(r.latency.getValueAtPercentile(10)).toBeLessThanOrEqual(201);
    expect(r.latency.getValueAtPercentile(99)).toBeGreaterThanOrEqual(1088);
    expect(r.latency.getValueAtPercentile(99)).toBeLessThanOrEqual(1091);
    expect(r.errors).toEqual({ connect: 1, reset: 5, timeout: 5, badResponse: 0, status: 4 });
  });

  it("says what wrk printed when there is no result line", () => {
    expect(() => parseWrkOutput("unable to connect to 127.0.0.1:1 Connection refused\n")).toThrow(/Connection refused/);
  });
});

describe.skipIf(!hasWrk())("wrk generator against a real server", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it("measures only the window, and its count matches the server's within the requests in flight", async () => {
    const events: string[] = [];
    let pid = 0;
    const before = await fx.stats();
    let atStart = before;
    const started = new Promise<void>((resolve) => {
      void (async () => {
        while (!events.includes("start")) await new Promise((r) => setTimeout(r, 5));
        atStart = await fx.stats();
        resolve();
      })();
    });
    const r = await wrkGenerator.run(spec(fx.port), {
      onClientPid: (p) => (pid = p),
      onMeasureStart: () => events.push("start"),
      onMeasureEnd: () => events.push("end"),
    });
    await started;
    const after = await fx.stats();
    expect(pid).toBeGreaterThan(0);
    expect(events).toEqual(["start", "end"]);
    expect(r.generator).toBe("wrk");
    expect(r.requests).toBeGreaterThan(100);
    expect(r.latency.totalCount).toBe(r.requests);
    // the warm-up's requests are not in the count
    expect(after.requests - before.requests).toBeGreaterThan(r.requests);
    // wrk stops its connections with requests in flight; at most one per connection goes uncounted
    // (the server's count at the window's start is read a few milliseconds after it opens)
    const served = after.requests - atStart.requests;
    expect(served).toBeGreaterThanOrEqual(r.requests * 0.98);
    expect(served - r.requests).toBeLessThanOrEqual(4 + 64);
  }, 20_000);

  it("pipelines by sending depth requests per write", async () => {
    const r = await wrkGenerator.run(spec(fx.port, { pipeline: 8, warmupS: 0 }), {});
    expect(r.requests).toBeGreaterThan(100);
    expect(r.errors.badResponse + r.errors.reset + r.errors.connect).toBe(0);
  }, 20_000);

  it("refuses what wrk cannot do, saying so", async () => {
    await expect(wrkGenerator.run(spec(fx.port, { rate: 100 }), {})).rejects.toThrow(/no constant-rate mode/);
    await expect(wrkGenerator.run(spec(fx.port, { echo: true }), {})).rejects.toThrow(/only HTTP/);
  });
});
