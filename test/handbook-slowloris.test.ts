// Slowloris clients (handbook T1, ReadTimeout <= 5 s) against the real net/http target: without a
// read timeout every connection is still held when the window closes; with a 1 s timeout the
// server closes them (and they come back), each after about a second.
import { afterEach, describe, expect, it } from "vitest";

import { SlowlorisClients } from "../src/load/slowloris.js";
import { startTarget, type RunningTarget } from "../src/targets/process.js";
import { findTarget } from "../src/targets/registry.js";

const nethttp = findTarget("nethttp")!;
const why = nethttp.unavailableReason();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(why !== null)(`slowloris clients against nethttp${why ? ` (skipped: ${why})` : ""}`, () => {
  let t: RunningTarget | undefined;
  let c: SlowlorisClients | undefined;
  afterEach(async () => {
    c?.stop();
    await t?.stop();
  });

  async function windowAgainst(args: string[]) {
    t = await startTarget(nethttp, {
      host: "127.0.0.1",
      port: 0,
      threads: 1,
      mode: "http",
      env: {},
      args,
      cpus: null,
      readyTimeoutMs: 15_000,
    });
    c = await SlowlorisClients.start("127.0.0.1", t.port, { connections: 20, intervalMs: 200 });
    c.windowStart();
    await sleep(3000);
    c.windowEnd();
    return c.summary();
  }

  it("holds every connection when the server has no read timeout", async () => {
    const s = await windowAgainst([]);
    expect(s).toMatchObject({
      connections: 20,
      openAtWindowStart: 20,
      openAtWindowEnd: 20,
      closedByServerInWindow: 0,
      meanHeldS: null,
      connectFailures: 0,
    });
  }, 30_000);

  it("sees a 1 s ReadTimeout close them after about a second, and comes back", async () => {
    const s = await windowAgainst(["--read-timeout", "1s"]);
    expect(s.closedByServerInWindow).toBeGreaterThanOrEqual(20);
    expect(s.meanHeldS).toBeGreaterThan(0.8);
    expect(s.meanHeldS).toBeLessThan(2.5);
    expect(s.openAtWindowEnd).toBeGreaterThan(0); // reconnected
  }, 30_000);
});
