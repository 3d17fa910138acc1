// Burst clients (handbook 2.2: rising and falling pressure beside the steady load) against the
// real c-floor: quiet first, then bodies echoed back to back while a burst is on, counted whole.
import { afterEach, describe, expect, it } from "vitest";

import { BurstClients } from "../src/load/bursts.js";
import { startTarget, type RunningTarget } from "../src/targets/process.js";
import { findTarget } from "../src/targets/registry.js";

const floor = findTarget("c-floor")!;
const why = floor.unavailableReason();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(why !== null)(`burst clients${why ? ` (skipped: ${why})` : ""}`, () => {
  let t: RunningTarget | undefined;
  let b: BurstClients | undefined;
  afterEach(async () => {
    b?.stop();
    await t?.stop();
  });

  it("stays quiet, then bursts and rests in turn, each answer counted once it is whole", async () => {
    t = await startTarget(floor, {
      host: "127.0.0.1",
      port: 0,
      threads: 1,
      mode: "http",
      env: {},
      args: [],
      cpus: null,
      readyTimeoutMs: 15_000,
    });
    b = new BurstClients("127.0.0.1", t.port, { connections: 2, bodyBytes: 256 * 1024, onS: 0.6, offS: 0.6 });
    b.start();
    b.windowStart();
    await sleep(300);
    expect((await t.stats()).requests).toBe(0); // the first phase is quiet
    await sleep(2400); // on 0.6-1.2, off, on 1.8-2.4
    b.windowEnd();
    const s = b.summary();
    expect(s.burstsStartedInWindow).toBeGreaterThanOrEqual(2);
    expect(s.requestsInWindow).toBeGreaterThan(4);
    expect(s.errors).toBe(0);
    const served = (await t.stats()).requests!;
    expect(Math.abs(served - s.requestsInWindow)).toBeLessThanOrEqual(2); // in flight at the edge
  }, 30_000);
});
