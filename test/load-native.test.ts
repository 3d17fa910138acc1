// The native load generator against real servers on loopback (test/fixtures/http-fixture.c):
// latency accuracy, constant-rate accuracy, coordinated-omission correction, exact response
// counting and errors by kind. One file, so its timing-sensitive runs never overlap each other.
import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { createLoadGen, loadAddon, type NativeBuckets, type NativeLoadResult } from "../src/load/native-addon.js";
import { nativeGenerator } from "../src/load/native.js";
import type { LoadSpec, Progress } from "../src/load/types.js";
import { closedPort, fixtureBinary, startFixture, type Fixture, type FixtureServiceTimes } from "./fixtures/http-fixture.js";
import { testSpec } from "./helpers/load-spec.js";
import { loopbackRoundTrips, type RoundTrips } from "./helpers/loopback-rtt.js";

const spec = testSpec;

let fixture: Fixture | null = null;
async function serve(args: string[] = []): Promise<Fixture> {
  fixture = await startFixture(args);
  return fixture;
}
afterEach(async () => {
  await fixture?.stop();
  fixture = null;
});

/** 300 round trips to a fixture that answers at once, under the machine's load of the moment. */
async function quickRoundTrips(): Promise<RoundTrips> {
  const quick = await startFixture();
  try {
    return await loopbackRoundTrips(quick.port, 300);
  } finally {
    await quick.stop();
  }
}

/** The value holding rank `rank` (1-based) of a bucket list (valuesUs ascending). */
function valueAtRank(b: NativeBuckets, rank: number): number {
  let seen = 0;
  for (let i = 0; i < b.counts.length; i++) {
    seen += b.counts[i]!;
    if (seen >= rank) return b.valuesUs[i]!;
  }
  return b.valuesUs[b.valuesUs.length - 1]!;
}

/** Histogram's rank rule: the value at ceil(q n). */
function percentileOfBuckets(b: NativeBuckets, q: number): number {
  return valueAtRank(b, Math.max(1, Math.ceil(q * b.counts.reduce((a, c) => a + c, 0))));
}

/**
 * The most a correct client may report as the median of a 5 ms server's answers, from what this
 * machine did meanwhile. An answer's latency is 5 ms + three wake-ups (the fixture's timer, the
 * fixture's read, the client's read) + the loopback path. The fixture measures the first itself
 * (its service time - 5 ms, every answer of the window); the other two are wake-ups of the same
 * kind of sleeping process on the same loaded machine, taken as distributed alike. Then
 * P(L1 + L2 + L3 > 3 q) <= 3 P(L > q) = 0.5 for q the lateness' 5/6 quantile: the median is at
 * most 5 ms + 3 q, plus the path's median round trip (from an independent client, just before).
 * On a lightly loaded machine q is ~0.1 ms (measured: bounds 5.23-5.33 ms for a 5.095 ms
 * median); a busy one widens it by what it measurably did to the fixture.
 */
function fiveMsBound(served: FixtureServiceTimes, rtt: RoundTrips): number {
  return 5000 + 3 * Math.max(0, served.p833 - 5000) + rtt.percentile(50);
}

async function runInProcess(s: LoadSpec): Promise<NativeLoadResult> {
  return createLoadGen(s).run();
}

beforeAll(async () => {
  const why = await nativeGenerator.unavailableReason();
  if (why) throw new Error(why);
  fixtureBinary();
});

describe("native load generator", () => {
  it("measures a server that answers after exactly 5 ms at 5 ms plus the wake-ups the machine measured", async () => {
    // Bounded by what is measured, not by an idle machine: see fiveMsBound.
    const rtt = await quickRoundTrips();
    const f = await serve(["--delay-us", "5000"]);
    const phases: string[] = [];
    const progress: Progress[] = [];
    let reset: Promise<void> = Promise.resolve();
    const r = await nativeGenerator.run(spec(f.port, { connections: 8, durationS: 1.5, warmupS: 0.3 }), {
      onMeasureStart: () => (phases.push("start"), (reset = f.resetServiceTimes())),
      onMeasureEnd: () => phases.push("end"),
      onProgress: (p) => progress.push(p),
    });
    await reset;
    const served = (await f.stats()).serviceUs;
    const p50 = r.latency.getValueAtPercentile(50);
    const bound = fiveMsBound(served, rtt);
    const why = JSON.stringify({ p50, bound, served, rttP50: rtt.percentile(50) });
    expect(p50, why).toBeGreaterThanOrEqual(5000 * 0.95);
    expect(p50, why).toBeLessThanOrEqual(bound);
    expect(r.latency.minNonZeroValue).toBeGreaterThanOrEqual(4990); // never faster than the server
    // Little's law: 8 connections, each one request per mean latency, for 1.5 s (at most 2400,
    // fewer when a busy machine delays the fixture's or the client's wake-ups).
    expect(r.requests).toBeLessThanOrEqual(2400 * 1.02);
    const expected = (8 * 1.5e6) / r.latency.mean;
    expect(Math.abs(r.requests - expected) / expected).toBeLessThan(0.05);
    expect(r.latency.totalCount).toBe(r.requests);
    expect(phases).toEqual(["start", "end"]);
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(progress.some((p) => p.phase === "warmup")).toBe(true);
    expect(r.errors).toEqual({ connect: 0, reset: 0, timeout: 0, badResponse: 0, status: 0, tls: 0, goaway: 0, rstStream: 0 });
  }, 20_000);

  it("measures the same 5 ms server with the io_uring backend (one clock read per batch) within the same bound", async (ctx) => {
    const why = loadAddon().loadBackendUnavailable("io_uring");
    if (why !== null) ctx.skip(why);
    const rtt = await quickRoundTrips();
    const f = await serve(["--delay-us", "5000"]);
    const gen = createLoadGen({ ...spec(f.port, { connections: 8, durationS: 1, warmupS: 0.2 }), backend: "io_uring" });
    let reset: Promise<void> | null = null;
    const poll = setInterval(() => {
      if (reset === null && gen.progress().phase !== "warmup") reset = f.resetServiceTimes();
    }, 5);
    const r = await gen.run();
    clearInterval(poll);
    await reset;
    const served = (await f.stats()).serviceUs;
    const buckets = [...r.latency.valuesUs].map((v, i) => [v, r.latency.counts[i]!] as const);
    const median = buckets.find((_, i) => buckets.slice(0, i + 1).reduce((a, [, c]) => a + c, 0) >= r.requests / 2)![0];
    const bound = fiveMsBound(served, rtt);
    const detail = JSON.stringify({ median, bound, served, rttP50: rtt.percentile(50) });
    expect(r.backend).toBe("io_uring");
    expect(median, detail).toBeGreaterThanOrEqual(5000 * 0.95);
    expect(median, detail).toBeLessThanOrEqual(bound);
    expect(r.latency.minUs).toBeGreaterThanOrEqual(4990);
    expect(r.sent).toBe(r.completedTotal + r.failed + r.unfinished);
  }, 20_000);

  it("holds a constant rate within 1 % of the one asked for", async () => {
    // One request in flight per connection: a connection keeps to its schedule only while its
    // answers come within its interval. 16 connections give each 8 ms, beyond what a busy
    // machine adds to an answer-at-once server (the fixture's own p99 is in the message); the 16
    // requests in flight at the edges are 0.4 % of 4,000.
    const f = await serve();
    const r = await nativeGenerator.run(spec(f.port, { rate: 2000, connections: 16, durationS: 2, warmupS: 0.5 }), {});
    const served = (await f.stats()).serviceUs;
    // A count moves by the answers that came late across each edge of its span: at most rate x
    // the longest latency, timed from each request's intended send (so a stalled client or
    // server shows there, and a backlog caught up after a stall is counted where it lands); a
    // quiet machine leaves a few requests, a busy one its own stalls.
    const lateAtAnEdge = Math.ceil(2000 * (r.latency.maxValue / 1e6));
    const detail = JSON.stringify({ rps: r.rps, perSecond: r.perSecond, lateAtAnEdge, served });
    expect(Math.abs(r.rps * r.durationS - 2000 * r.durationS), detail).toBeLessThanOrEqual(0.01 * 2000 * r.durationS + 2 * lateAtAnEdge);
    expect(r.perSecond).toHaveLength(2);
    for (const n of r.perSecond) expect(Math.abs(n - 2000), detail).toBeLessThanOrEqual(0.02 * 2000 + 2 * lateAtAnEdge);
  }, 20_000);

  it("charges a 200 ms stall to every request scheduled in it at a constant rate, but not in a closed loop", async () => {
    // The fixture stops for 200 ms 2 s after it starts; each window (0.2 s + 2.5 s) covers it.
    const stall = ["--stall-every-ms", "2000", "--stall-ms", "200"];
    let f = await serve(stall);
    const open = await nativeGenerator.run(spec(f.port, { rate: 1000, connections: 8, durationS: 2.5 }), {});
    await f.stop();
    fixture = null;
    f = await serve(stall);
    const closed = await nativeGenerator.run(spec(f.port, { connections: 8, durationS: 2.5 }), {});
    // Open loop: ~200 of ~2500 requests were due during the stall, late by up to 200 ms.
    expect(open.latency.getValueAtPercentile(99)).toBeGreaterThanOrEqual(100_000);
    expect(open.latency.maxValue).toBeGreaterThanOrEqual(150_000);
    // Closed loop: only the 8 requests in flight saw it; the many others hide it.
    expect(closed.latency.maxValue).toBeGreaterThanOrEqual(150_000);
    expect(closed.latency.getValueAtPercentile(99)).toBeLessThan(50_000);
    expect(closed.requests).toBeGreaterThan(open.requests * 2);
  }, 30_000);

  it.each([
    ["keep-alive", {}],
    ["16-deep pipelining", { pipeline: 16 }],
    ["keep-alive off", { keepAlive: false }],
    // The fixture has no TFO listener: the connect falls back to a handshake, which must not lose or double a request.
    ["keep-alive off, TCP Fast Open", { keepAlive: false, fastOpen: true }],
    ["chunked answers, pipelined", { pipeline: 4 }, ["--behavior", "chunked"]],
    ["two threads, open loop", { threads: 2, rate: 5000 }],
  ] as [string, Partial<LoadSpec>, string[]?][])(
    "counts every answer exactly once (%s)",
    async (_name, over, args = []) => {
      const f = await serve(args);
      const r = await runInProcess(spec(f.port, { durationS: 0.8, ...over }));
      const s = await f.stats();
      expect(r.completedTotal).toBeGreaterThan(100);
      expect(r.completedTotal).toBe(s.requests);
      expect(r.requests).toBeLessThanOrEqual(r.completedTotal);
      expect(r.errors).toEqual({ connect: 0, reset: 0, timeout: 0, badResponse: 0, status: 0, tls: 0, goaway: 0, rstStream: 0 });
      expect(r.status["2xx"]).toBe(r.requests);
      if (over.keepAlive === false) expect(s.connections).toBe(r.completedTotal);
      else expect(s.connections).toBe(4);
    },
    20_000,
  );

  it("counts echo round trips exactly in raw TCP mode", async () => {
    const f = await serve(["--behavior", "echo"]);
    const r = await runInProcess(spec(f.port, { echo: true, bodyBytes: 64, pipeline: 4, durationS: 0.8 }));
    const s = await f.stats();
    expect(r.completedTotal).toBeGreaterThan(100);
    expect(s.echoedBytes).toBe(r.completedTotal * 64);
    expect(r.bytesRead).toBe(r.requests * 64);
  }, 20_000);

  it("counts errors by kind without stopping the run", async () => {
    const refused = await runInProcess(spec(await closedPort(), { warmupS: 0, durationS: 0.3 }));
    expect(refused.errors.connect).toBeGreaterThan(0);
    expect(refused.requests).toBe(0);

    let f = await serve(["--behavior", "reset"]);
    const reset = await runInProcess(spec(f.port, { warmupS: 0, durationS: 0.3 }));
    expect(reset.errors.reset).toBeGreaterThan(0);
    expect(reset.requests).toBe(0);
    await f.stop();

    f = await serve(["--behavior", "garbage"]);
    const garbage = await runInProcess(spec(f.port, { warmupS: 0, durationS: 0.3 }));
    expect(garbage.errors.badResponse).toBeGreaterThan(0);
    expect(garbage.requests).toBe(0);
    await f.stop();

    f = await serve(["--behavior", "silent"]);
    const silent = await runInProcess(spec(f.port, { warmupS: 0, durationS: 0.7, timeoutMs: 200 }));
    // 4 connections, each timing out every ~200 ms and reconnecting: about 12.
    expect(silent.errors.timeout).toBeGreaterThanOrEqual(8);
    expect(silent.errors.timeout).toBeLessThanOrEqual(16);
    await f.stop();

    f = await serve(["--behavior", "notfound"]);
    const missing = await runInProcess(spec(f.port, { warmupS: 0, durationS: 0.3 }));
    expect(missing.requests).toBeGreaterThan(0);
    expect(missing.errors.status).toBe(missing.requests);
    expect(missing.status["4xx"]).toBe(missing.requests);
    // the fixture variable still points at the last server: afterEach stops it
  }, 20_000);

  it("shows live the p99 it reports at the end: the same buckets, the last second included", async () => {
    // 20 ms answers: a steady p99 on a quiet machine; on a busy one the seconds differ, so the
    // live last second is judged against the run's own histogram of that second.
    const f = await serve(["--delay-us", "20000"]);
    const gen = createLoadGen(spec(f.port, { connections: 8, warmupS: 0.3, durationS: 2.5 }));
    const lastSeconds: number[] = [];
    const pollsMs: number[] = [];
    const poll = setInterval(() => {
      const p = gen.progress();
      if (p.phase !== "warmup") pollsMs.push(performance.now());
      if (p.phase === "measure" && p.p99LastSecondUs !== null) lastSeconds.push(p.p99LastSecondUs);
    }, 10);
    const r = await gen.run();
    clearInterval(poll);
    const after = gen.progress();
    pollsMs.push(performance.now());
    expect(after.phase).toBe("done");
    expect(after.p99Us).toBe(percentileOfBuckets(r.latency, 0.99));
    expect(lastSeconds.length).toBeGreaterThan(10);
    // The live last second starts from the counts of the first poll inside it, so it misses at
    // most the answers of the longest gap between polls (measured here, as slow as the machine was).
    const longestGapS = Math.max(...pollsMs.slice(1).map((t, i) => t - pollsMs[i]!)) / 1000;
    const missed = Math.ceil(longestGapS * Math.max(...r.perSecond));
    const last = r.intervals!.at(-1)!;
    const n = last.counts.reduce((a, b) => a + b, 0);
    // The 99th percentile of a subset missing m <= missed answers lies between these two ranks.
    const lowest = valueAtRank(last, Math.ceil(0.99 * (n - missed)));
    const highest = valueAtRank(last, Math.min(n, Math.ceil(0.99 * n) + missed));
    const detail = JSON.stringify({ live: after.p99LastSecondUs, lowest, highest, missed, n });
    expect(after.p99LastSecondUs!, detail).toBeGreaterThanOrEqual(lowest);
    expect(after.p99LastSecondUs!, detail).toBeLessThanOrEqual(highest);
  }, 20_000);

  it("rejects a bad option with one message form", () => {
    expect(() => createLoadGen(spec(80, { connections: -1 }))).toThrow(
      "Expected positive integer for connections but received -1 of type number",
    );
    expect(() => createLoadGen(spec(80, { rate: 0 }))).toThrow("Expected positive number or null for rate but received 0 of type number");
    expect(() => createLoadGen(spec(80, { keepAlive: false, pipeline: 4 }))).toThrow(/pipeline/);
    expect(() => createLoadGen({ ...spec(80), backend: "uring" as "io_uring" })).toThrow(
      "Expected one of 'epoll', 'io_uring' for backend but received \"uring\" of type string",
    );
    expect(() => createLoadGen({ ...spec(80), requests: 0 })).toThrow(/positive integer for requests/);
    expect(() => createLoadGen({ ...spec(80), sqpoll: true })).toThrow(/sqpoll/);
  });

  it("stops early when asked, with the window it measured", async () => {
    const f = await serve();
    const gen = createLoadGen(spec(f.port, { warmupS: 0, durationS: 10 }));
    const running = gen.run();
    await new Promise((r) => setTimeout(r, 400));
    gen.stop();
    const r = await running;
    expect(r.durationS).toBeGreaterThan(0.2);
    expect(r.durationS).toBeLessThan(1.5);
    expect(r.requests).toBeGreaterThan(0);
  }, 20_000);
});
