// The wrk generator against a real server: its counts agree with the server's own, its
// latency arrives as an HdrHistogram, and pipelining multiplies the requests per write.
import { spawn } from "node:child_process";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { LoadSpec } from "../src/load/types.js";
import { parseWrkOutput, wrkGenerator, wrkToResult } from "../src/load/wrk.js";
import { WRK_RESULT_MARK, wrkLua } from "../src/load/wrk-script.js";
import { startFixture, type Fixture } from "./fixtures/http-fixture.js";
import { testSpec } from "./helpers/load-spec.js";
import { hasWrk } from "./helpers/procs.js";

// wrk runs whole seconds: a one-second warm-up and window.
const spec = (port: number, over: Partial<LoadSpec> = {}): LoadSpec => testSpec(port, { warmupS: 1, ...over });

describe("wrk output", () => {
  it("rebuilds the histogram from wrk's per-microsecond counts, exact at a few requests", () => {
    // 7 requests: 5 at 100 us, 1 at 5 ms, 1 at 40 ms (wrk's old 1,000-quantile rebuild put all on the median)
    const buckets = [
      [100, 5],
      [5000, 1],
      [40_000, 1],
    ];
    const line = `${WRK_RESULT_MARK}${JSON.stringify({ requests: 7, durationUs: 2_000_000, bytes: 1, errors: { connect: 1, read: 2, write: 3, status: 4, timeout: 5 }, buckets, quantiles: [] })}`;
    const r = wrkToResult(parseWrkOutput(`Running 2s test\n${line}\n`));
    expect(r.requests).toBe(7);
    expect(r.latency.totalCount).toBe(7);
    expect(r.rps).toBeCloseTo(3.5, 5);
    expect(r.latency.getValueAtPercentile(50)).toBe(100);
    expect(r.latency.getValueAtPercentile(80)).toBeGreaterThanOrEqual(4995);
    expect(r.latency.getValueAtPercentile(80)).toBeLessThanOrEqual(5005);
    expect(r.latency.maxValue).toBeGreaterThanOrEqual(39_980);
    expect(r.errors).toEqual({ connect: 1, reset: 5, timeout: 5, badResponse: 0, status: 4, tls: 0, goaway: 0, rstStream: 0 });
    expect(r.latencyFrom).toBe("send");
  });

  it("spreads the requests over the quantiles so that the counts add up to the total", () => {
    const quantiles = Array.from({ length: 2000 }, (_, i) => 100 + i);
    const line = `${WRK_RESULT_MARK}${JSON.stringify({ requests: 10_007, durationUs: 1_000_000, bytes: 1, errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0 }, buckets: [], quantiles })}`;
    const r = wrkToResult(parseWrkOutput(line));
    expect(r.latency.totalCount).toBe(10_007);
    expect(Math.abs(r.latency.getValueAtPercentile(10) - 300)).toBeLessThanOrEqual(2);
    expect(Math.abs(r.latency.getValueAtPercentile(99) - 2080)).toBeLessThanOrEqual(3);
  });

  it("pipelined: one bucket count per write, spread over the requests in proportion", () => {
    const line = `${WRK_RESULT_MARK}${JSON.stringify({
      requests: 160,
      durationUs: 1_000_000,
      bytes: 1,
      errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0 },
      buckets: [
        [200, 9],
        [900, 1],
      ],
      quantiles: [],
    })}`;
    const r = wrkToResult(parseWrkOutput(line));
    expect(r.latency.totalCount).toBe(160);
    expect(r.latency.getValueAtPercentile(89)).toBe(200);
    expect(Math.abs(r.latency.getValueAtPercentile(95) - 900)).toBeLessThanOrEqual(1);
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

/** wrk's own "Latency Distribution" lines (--latency), in microseconds. */
function wrkOwnPercentiles(out: string): Map<number, number> {
  const unit: Record<string, number> = { us: 1, ms: 1000, s: 1_000_000 };
  const m = new Map<number, number>();
  for (const x of out.matchAll(/^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$/gm)) m.set(Number(x[1]), Number(x[2]) * unit[x[3]!]!);
  return m;
}

describe.skipIf(!hasWrk())("wrk latency with few, large answers", () => {
  const body = Buffer.alloc(10 * 1024 * 1024, 0x61);
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": body.length });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("10 MB answers (< 1,000 requests): p50 and p99 are wrk's own, not the median twice", async () => {
    const dir = mkdtempSync(join(tmpdir(), "evbench-wrk-test-"));
    const script = join(dir, "s.lua");
    writeFileSync(script, wrkLua(testSpec(port, { path: "/big" })));
    // wrk runs in its own process, asynchronously: the server answers from this one
    const out = await new Promise<string>((resolve) => {
      // One second, two connections: fewer than 1,000 answers even on a fast, quiet machine.
      const p = spawn("wrk", ["-t1", "-c2", "-d1s", "--latency", "-s", script, `http://127.0.0.1:${port}/big`]);
      let s = "";
      p.stdout.on("data", (d) => (s += d));
      p.on("exit", () => resolve(s));
    });
    rmSync(dir, { recursive: true, force: true });
    const r = wrkToResult(parseWrkOutput(out));
    const own = wrkOwnPercentiles(out);
    expect(r.requests).toBeGreaterThan(5);
    expect(r.requests).toBeLessThan(1000);
    expect(r.latency.totalCount).toBe(r.requests);
    // wrk ranks a percentile as round(p/100 x n + 0.5), HdrHistogram as p/100 x n rounded: with
    // few answers the two may pick neighbouring samples, milliseconds apart. So wrk's own value
    // must lie within one sample of rank of ours (wrk prints two decimals of its unit; the hdr
    // histogram keeps 3 significant digits).
    const oneRank = 100 / r.requests;
    for (const p of [50, 99]) {
      const lo = r.latency.getValueAtPercentile(Math.max(0, p - oneRank));
      const hi = r.latency.getValueAtPercentile(Math.min(100, p + oneRank));
      const tol = own.get(p)! * 0.01 + 10;
      expect(own.get(p)!).toBeGreaterThanOrEqual(lo - tol);
      expect(own.get(p)!).toBeLessThanOrEqual(hi + tol);
    }
    if (own.get(50)! !== own.get(99)!) expect(r.latency.getValueAtPercentile(50)).not.toBe(r.latency.getValueAtPercentile(99));
  }, 30_000);
});
