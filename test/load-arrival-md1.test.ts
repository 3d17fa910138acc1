// --arrival poisson against a queue of known law: one server, one FIFO, a fixed service time S
// (test/fixtures/queue-server.c). Poisson arrivals at rate lambda make it an M/D/1 queue, whose
// mean wait is rho*S / (2(1 - rho)), rho = lambda*S. A service is a sleep to a deadline, so a
// busy machine stretches some by their wake-up: the server's own measured E[S] and E[S^2] go
// into Pollaczek-Khinchine's lambda*E[S^2] / (2(1 - rho)), which is M/D/1's formula when S is
// fixed. The generator measures latency = wait + service + the path (send, loopback, read,
// answer); the path is measured in the same conditions by evenly spaced arrivals at the same
// rate (gaps of 2S: nothing waits), so the wait the generator measures is
//   mean latency (poisson) - mean service - (mean latency (constant) - mean service)
// and must be within 10 % of the formula's (constant and poisson runs alternate, twice). Server and generator run at real-time priority where
// allowed (test/helpers/realtime.ts): both sleep nearly all the time, and the other programs of a
// busy machine then no longer add milliseconds to the path at random.
import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { nativeGenerator } from "../src/load/native.js";
import type { LoadResult } from "../src/load/types.js";
import { gapCvBetween, startQueueServer, type QueueServer, type QueueStats } from "./fixtures/queue-server.js";
import { testSpec } from "./helpers/load-spec.js";
import { runNativeClientRealtime } from "./helpers/realtime.js";

const SERVICE_US = 2000;
const RHO = 0.5;

let server: QueueServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});
beforeAll(async () => {
  const why = await nativeGenerator.unavailableReason();
  if (why) throw new Error(why);
});

interface Measured {
  r: LoadResult;
  /** The server's services during this run: mean and mean of squares, microseconds. */
  serviceUs: number;
  serviceSqUs2: number;
  /** Gaps between arrivals at the server: their coefficient of variation (1 for a Poisson process). */
  gapCv: number;
}

function services(a: QueueStats, b: QueueStats): { serviceUs: number; serviceSqUs2: number } {
  const n = b.served - a.served;
  return {
    serviceUs: (b.serviceMeanUs * b.served - a.serviceMeanUs * a.served) / n,
    serviceSqUs2: (b.serviceSquareMeanUs2 * b.served - a.serviceSquareMeanUs2 * a.served) / n,
  };
}

async function run(s: QueueServer, rate: number, durationS: number, arrival: "poisson" | "constant"): Promise<Measured> {
  const before = await s.stats();
  // Many connections, pipelined: a request is sent when due even if its connection's previous
  // one is still queued, so the server sees the arrival process as it was drawn.
  const spec = testSpec(s.port, { connections: 64, pipeline: 8, rate, warmupS: 0.5, durationS, timeoutMs: 10_000 });
  const r = await runNativeClientRealtime({ ...spec, arrival, seed: 7 });
  const after = await s.stats();
  return { r, ...services(before, after), gapCv: gapCvBetween(before, after) };
}

/** Pollaczek-Khinchine mean wait in the queue, microseconds. */
function pkWaitUs(lambdaPerS: number, serviceUs: number, serviceSqUs2: number): number {
  const lambdaPerUs = lambdaPerS / 1e6;
  return (lambdaPerUs * serviceSqUs2) / (2 * (1 - lambdaPerUs * serviceUs));
}

describe("--arrival poisson", () => {
  it("reproduces an M/D/1 queue's mean wait within 10 % (rho 0.5)", async () => {
    server = await startQueueServer(SERVICE_US, { realtime: true });
    const rate = (RHO * 1e6) / SERVICE_US;
    // Alternating, so a slow phase of the machine weighs on the path and the wait alike.
    const paths: number[] = [];
    const waits: { measured: number; expected: number; lambda: number; m: Measured }[] = [];
    for (let round = 0; round < 2; round++) {
      const c = await run(server, rate, 3, "constant");
      paths.push(c.r.latency.mean - c.serviceUs);
      const m = await run(server, rate, 10, "poisson");
      const lambda = m.r.requests / m.r.durationS;
      waits.push({ measured: m.r.latency.mean - m.serviceUs, expected: pkWaitUs(lambda, m.serviceUs, m.serviceSqUs2), lambda, m });
    }
    const pathUs = paths.reduce((a, b) => a + b, 0) / paths.length;
    const measured = waits.reduce((a, w) => a + w.measured, 0) / waits.length - pathUs;
    const expected = waits.reduce((a, w) => a + w.expected, 0) / waits.length;
    const { lambda, m } = waits[1]!;
    const rho = (lambda * m.serviceUs) / 1e6;
    console.log(
      `M/D/1: rho ${rho.toFixed(3)}, E[S] ${m.serviceUs.toFixed(1)} us, path ${pathUs.toFixed(1)} us, wait measured ${measured.toFixed(1)} us, ` +
        `expected ${expected.toFixed(1)} us (rho*E[S]/(2(1-rho)) ${((rho * m.serviceUs) / (2 * (1 - rho))).toFixed(1)} us), arrival gap CV ${m.gapCv.toFixed(3)}`,
    );
    for (const w of waits)
      expect(w.m.r.errors).toEqual({ connect: 0, reset: 0, timeout: 0, badResponse: 0, status: 0, tls: 0, goaway: 0, rstStream: 0 });
    expect(Math.abs(lambda - rate) / rate).toBeLessThan(0.05);
    expect(Math.abs(measured - expected) / expected).toBeLessThan(0.1);
    // What the server saw was a Poisson process: exponential gaps have a CV of 1 (evenly spaced
    // ones about 0; the server's reads batch a few arrivals, which widens it a little).
    expect(m.gapCv).toBeGreaterThan(0.8);
    expect(m.gapCv).toBeLessThan(1.3);
    expect(m.r.latencyFrom).toBe("intended-send");
  }, 60_000);
});
