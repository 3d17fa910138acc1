// The native generator's connection scaling against a real server on loopback
// (test/fixtures/queue-server.c, answering at once and counting who sent what): source
// addresses, the paced ramp and its measured rate, connect errors by kind, the idle/active
// split, per-connection open-loop schedules with their phases spread, and poisson arrivals.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { BadInputError } from "../src/errors.js";
import { createLoadGen } from "../src/load/native-addon.js";
import { nativeGenerator } from "../src/load/native.js";
import { ephemeralPorts, loopbackAddress, sourceAddressesFor } from "../src/load/source-addresses.js";
import { closedPort } from "./fixtures/http-fixture.js";
import { formatGapShape, gapShapeBetween, POISSON_GAPS, startQueueServer, type QueueServer } from "./fixtures/queue-server.js";
import { testSpec } from "./helpers/load-spec.js";
import { runNativeClientRealtime } from "./helpers/realtime.js";

let server: QueueServer | null = null;
/** realtime: where a test reads arrival gaps at the server, both sides run at real-time priority
 *  (test/helpers/realtime.ts), so a busy machine's late wake-ups do not bunch the arrivals. */
async function serve(realtime = false, gapUs = 0): Promise<QueueServer> {
  server = await startQueueServer(0, { realtime, gapUs });
  return server;
}
afterEach(async () => {
  await server?.stop();
  server = null;
});
beforeAll(async () => {
  const why = await nativeGenerator.unavailableReason();
  if (why) throw new Error(why);
});

describe("source addresses", () => {
  it("spreads the connections evenly over the addresses given, each bound before connect", async () => {
    const s = await serve();
    const r = await createLoadGen({
      ...testSpec(s.port, { connections: 120, threads: 2, durationS: 0.3, warmupS: 0.1 }),
      sourceAddresses: ["127.0.0.2", "127.0.0.3", "127.0.0.4"],
    }).run();
    const st = await s.stats();
    expect(st.peers).toEqual({ "127.0.0.2": 40, "127.0.0.3": 40, "127.0.0.4": 40 });
    expect(r.connect).toMatchObject({ attempts: 120, opened: 120, firstOpened: 120 });
    expect(r.connect!.latency.counts.reduce((a, b) => a + b, 0)).toBe(120);
    expect(r.requests).toBeGreaterThan(0);
  }, 20_000);

  it("chooses loopback addresses only past one address's ports, as many as the range needs", () => {
    // On loopback an address is given half its ports (what connect() finds quickly), then the next.
    expect(sourceAddressesFor("127.0.0.1", 8080, 5, undefined, 10)).toBeUndefined();
    expect(sourceAddressesFor("127.0.0.1", 8080, 14, undefined, 10)).toEqual(["127.0.0.1", "127.0.0.2", "127.0.0.3"]);
    expect(loopbackAddress(255)).toBe("127.0.1.0");
    expect(() => sourceAddressesFor("::1", 8080, 25, undefined, 10)).toThrow(BadInputError);
    expect(() => sourceAddressesFor("10.0.0.1", 8080, 25, ["10.0.0.2"], 10)).toThrow(/give at least 3/);
    expect(() => sourceAddressesFor("::1", 8080, 5, ["127.0.0.2"], 10)).toThrow(/IPv6/);
    expect(sourceAddressesFor("10.0.0.1", 8080, 25, ["10.0.0.2", "10.0.0.3", "10.0.0.4"], 10)).toHaveLength(3);
  });

  it("reads the ephemeral range from the kernel's file", () => {
    const f = join(mkdtempSync(join(tmpdir(), "evb-gen-scaling-")), "range");
    writeFileSync(f, "1024\t1033\n");
    expect(ephemeralPorts(f)).toBe(10);
    expect(ephemeralPorts(join(f, "missing"))).toBe(60999 - 32768 + 1);
  });
});

describe("connects, measured", () => {
  it("paces the ramp at --connect-rate and measures the rate it reached", async () => {
    const s = await serve();
    const paced = await createLoadGen({
      ...testSpec(s.port, { connections: 300, threads: 2, durationS: 0.3, warmupS: 0.5 }),
      connectRate: 1000,
    }).run();
    const k = paced.connect!;
    expect(k.firstOpened).toBe(300);
    // 300 connects at 1,000/s (150 per thread at 500/s) take 0.3 s: never less, and the pacer
    // catches up a late loop, so not much more.
    expect(k.rampS).toBeGreaterThanOrEqual(0.29);
    expect(k.rampS).toBeLessThan(0.45);
    const full = await createLoadGen(testSpec(s.port, { connections: 300, threads: 2, durationS: 0.3, warmupS: 0.5 })).run();
    expect(full.connect!.firstOpened).toBe(300);
    expect(full.connect!.rampS).toBeLessThan(k.rampS / 2);
  }, 20_000);

  it("counts failed connects by kind: refused, and no port for the source address", async () => {
    const port = await closedPort();
    const refused = await createLoadGen(testSpec(port, { connections: 2, durationS: 0.3, warmupS: 0 })).run();
    expect(refused.connect!.errors.refused).toBeGreaterThan(0);
    expect(refused.connect!.errors.refused).toBe(refused.connect!.attempts);
    expect(refused.connect!.opened).toBe(0);
    // 192.0.2.1 (TEST-NET-1) is nobody's local address: bind fails with EADDRNOTAVAIL.
    const foreign = await createLoadGen({
      ...testSpec(port, { connections: 2, durationS: 0.3, warmupS: 0 }),
      sourceAddresses: ["192.0.2.1"],
    }).run();
    expect(foreign.connect!.errors.addrNotAvail).toBe(foreign.connect!.attempts);
    expect(foreign.connect!.errors.refused).toBe(0);
  }, 20_000);
});

describe("held and active connections", () => {
  it("holds N connections open while only A of them send", async () => {
    const s = await serve();
    const r = await createLoadGen({ ...testSpec(s.port, { connections: 40, threads: 2, durationS: 0.5, warmupS: 0.1 }), active: 8 }).run();
    const st = await s.stats();
    expect(st.connections).toBe(40);
    expect(st.sendingConnections).toBe(8);
    expect(r.requests).toBeGreaterThan(0);
  }, 20_000);

  it("gives every connection its own schedule, phases spread, the rate over the active ones", async () => {
    const s = await serve(true, 2500);
    const before = await s.stats();
    const r = await runNativeClientRealtime({
      ...testSpec(s.port, { connections: 40, threads: 2, rate: 400, durationS: 2, warmupS: 0.5 }),
      active: 20,
    });
    const st = await s.stats();
    expect(st.sendingConnections).toBe(20);
    // 20 req/s each for 2.5 s: 50 each, give or take the one due at the end.
    expect(st.perConnectionMin).toBeGreaterThanOrEqual(48);
    expect(st.perConnectionMax).toBeLessThanOrEqual(51);
    expect(Math.abs(r.requests - 800) / 800).toBeLessThan(0.03);
    // Lock-step schedules would bring the 20 requests together (19 of every 20 gaps near 0);
    // spread, the gaps are nearly equal: few below half the mean (a stall of the machine adds
    // the few it bunches), none above twice it but a stall's.
    const gaps = gapShapeBetween(before, st);
    console.log(`spread schedules: ${formatGapShape(gaps)}`);
    expect(gaps.belowHalf).toBeLessThan(0.15);
    expect(gaps.aboveTwice).toBeLessThan(0.05);
  }, 20_000);

  it("draws poisson arrivals: exponential gaps at the server, the rate as asked", async () => {
    const s = await serve(true, 1000);
    const before = await s.stats();
    const r = await runNativeClientRealtime({
      ...testSpec(s.port, { connections: 32, threads: 1, pipeline: 4, rate: 1000, durationS: 3, warmupS: 0.2 }),
      arrival: "poisson",
      seed: 3,
    });
    const st = await s.stats();
    // Exponential gaps: 39 % below half the mean, 63 % below it, 14 % above twice it (evenly
    // spaced ones: about 0, 50 % and 0, the test above). Fractions, not the gaps' variance: one
    // stall of a busy machine (a 100 ms gap, then a burst) would dominate the variance, and moves
    // these by its hundred arrivals of 3,000 at most.
    const gaps = gapShapeBetween(before, st);
    console.log(`poisson arrivals: ${formatGapShape(gaps)}`);
    expect(Math.abs(gaps.belowHalf - POISSON_GAPS.belowHalf)).toBeLessThan(0.06);
    expect(Math.abs(gaps.below - POISSON_GAPS.below)).toBeLessThan(0.06);
    expect(Math.abs(gaps.aboveTwice - POISSON_GAPS.aboveTwice)).toBeLessThan(0.04);
    expect(Math.abs(r.requests / r.durationS - 1000) / 1000).toBeLessThan(0.06);
  }, 20_000);
});
