// The sweep against servers of known capacity, real processes on loopback: the knee found is
// within 10 % of 1e6 / S for two service times, and periodic stalls move it down to where the
// queueing model says.
//
// The machine is shared (load averages of 7 on two cores while this was written: p99 of the
// client alone reaches 50-100 ms), so the SLOs here sit above that noise floor: what is tested is
// the search and the knee, not this machine's quiet. 1000 connections keep requests arriving at
// the server while it is preempted (for up to 1000 / rate seconds), so its queue clock (see
// capacity-server.c) stays exact; the fixture and the client run at a raised priority where that
// is allowed (children inherit the spawning thread's nice value), so the background matters less.
import os from "node:os";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { nativeGenerator } from "../src/load/native.js";
import { LOAD_DEFAULTS } from "../src/model/index.js";
import { jobsFromSubject, settingsFrom, slosFrom } from "../src/sweep/jobs.js";
import { runSweeps } from "../src/sweep/sweep.js";
import { capacityBinary, startCapacityServer, type CapacityOptions } from "./fixtures/capacity-server.js";

const cores = os.cpus().length;
const pin = cores >= 2 ? { server: [cores - 1], client: [0] } : { server: null, client: null };

async function kneeOf(fixture: CapacityOptions, slo: string, o: { startRps: number; stepS: number }) {
  const server = await startCapacityServer({ ...fixture, cpu: pin.server?.[0] ?? null });
  try {
    const settings = settingsFrom(null, { startRps: o.startRps, stepS: o.stepS, warmupS: 1, maxSteps: 14 }, slosFrom([slo], "test"));
    const jobs = jobsFromSubject(
      { subject: server.url, connections: [1000], threads: 1, path: "/", pin },
      { ...LOAD_DEFAULTS, headers: {} },
      settings,
    );
    const { sweeps } = await runSweeps({ jobs, settings, serverCpus: null, generator: nativeGenerator });
    const sw = sweeps[0]!;
    // What each step saw, for the assertion messages.
    const trace = sw.reps[0]!.steps.map(
      (s) =>
        `${s.offeredRps}->${Math.round(s.achievedRps)} p50 ${(s.latencyUs.p50 / 1000).toFixed(1)}ms p90 ${(s.latencyUs.p90 / 1000).toFixed(1)}ms p99 ${(s.latencyUs.p99 / 1000).toFixed(1)}ms`,
    ).join("; ");
    return { sw, trace };
  } finally {
    await server.stop();
  }
}

describe("the knee of a server with a known capacity", () => {
  let niceBefore = 0;
  beforeAll(() => {
    capacityBinary();
    niceBefore = os.getPriority();
    try {
      os.setPriority(-10);
    } catch {
      // not permitted (no CAP_SYS_NICE): run at the normal priority
    }
  });
  afterAll(() => {
    try {
      os.setPriority(niceBefore);
    } catch {
      // lowering back is always allowed; raising back may not be
    }
  });

  for (const serviceUs of [100, 250]) {
    // One retry absorbs one run disturbed by the rest of the machine; two in a row fail.
    it(`is within 10 % of 1e6 / S for S = ${serviceUs} us`, { retry: 1, timeout: 100_000 }, async () => {
      const capacity = 1e6 / serviceUs;
      const { sw, trace } = await kneeOf(
        { serviceUs },
        "p99=300ms",
        { startRps: capacity / 7, stepS: 1.5 } /* so no geometric step lands on the capacity */,
      );
      const k = sw.knee[0]!;
      expect(sw.verdict.verdict, JSON.stringify(sw.verdict)).not.toBe("invalid"); // "noisy" on a contended machine
      expect(k.bound).toBe("exact");
      expect(k.rps!.median, trace).toBeGreaterThan(0.9 * capacity);
      expect(k.rps!.median, trace).toBeLessThan(1.1 * capacity);
      // Every step keeps its histogram and its numbers.
      const steps = sw.reps[0]!.steps;
      expect(steps.length).toBeGreaterThanOrEqual(5);
      for (const s of steps) expect(s.latencyHdr.length).toBeGreaterThan(10);
      expect(steps.some((s) => s.phase === "bisect")).toBe(true);
    });
  }

  it("moves down to the queueing model's rate when the server stalls periodically", { retry: 1, timeout: 120_000 }, async () => {
    // A stall of D every P ms, then the queue drains at mu - lambda: a request arriving t after a
    // stall began waits D - t (1 - rho). The share of requests waiting longer than L is
    // (D - L) / ((1 - rho) P), so the median stays within L while rho <= 1 - (D - L) / (0.5 P):
    // here 1 - 250 / 500 = 0.5, 5,000 req/s for S = 100 us, where the same server without
    // stalls keeps its median low up to ~10,000. Near the knee the median moves by 0.5 P per unit
    // of rho (5 ms per 1 %); the machine's noise only adds latency, so it can only pull the knee
    // down: the tolerance is wider below (-25 %) than above (+15 %). (The median rather than
    // p99: p99 would need stalls tens of seconds apart, and steps longer still, to move the knee
    // by as much.)
    const D = 400;
    const P = 1000;
    const L = 150;
    const predicted = (1 - (D - L) / (0.5 * P)) * 10_000;
    const { sw, trace } = await kneeOf({ serviceUs: 100, stallEveryMs: P, stallMs: D }, `p50=${L}ms`, { startRps: 1250, stepS: 2 });
    const k = sw.knee[0]!;
    expect(k.bound, trace).toBe("exact");
    expect(k.rps!.median, trace).toBeGreaterThan(0.75 * predicted);
    expect(k.rps!.median, trace).toBeLessThan(1.15 * predicted);
    // The stalls show in the tail at every rate: p99 is most of a stall or more.
    for (const s of sw.reps[0]!.steps) expect(s.latencyUs.p99, trace).toBeGreaterThan(0.75 * D * 1000);
  });
});
