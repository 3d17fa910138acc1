// A native load over several generator processes (more connections than one process may hold:
// here an artificial limit of 50 per process, so it runs fast): the split, the shared start,
// the exact merge (counts, histograms, seconds), all children in the client's process group.
import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { BadInputError } from "../src/errors.js";
import { nativeGenerator } from "../src/load/native.js";
import { activeIn, processesFor, splitSpec } from "../src/load/native-split.js";
import { groupPids } from "../src/probe/proc.js";
import { startQueueServer, type QueueServer } from "./fixtures/queue-server.js";
import { testSpec } from "./helpers/load-spec.js";

let server: QueueServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});
beforeAll(async () => {
  const why = await nativeGenerator.unavailableReason();
  if (why) throw new Error(why);
});

describe("the split", () => {
  it("splits connections, active ones and rate so that every process's share is the global one's", () => {
    const spec = {
      ...testSpec(1, { connections: 120, rate: 600 }),
      active: 30,
      sourceAddresses: ["127.0.0.2", "127.0.0.3"],
      connectionsPerProcess: 50,
    };
    expect(processesFor(spec, 20_000)).toBe(3);
    expect(processesFor(spec, 40)).toBe(3);
    expect(processesFor({ ...spec, connectionsPerProcess: undefined }, 40)).toBe(3);
    const parts = splitSpec(spec, 3);
    expect(parts.map((p) => p.connections)).toEqual([40, 40, 40]);
    expect(parts.map((p) => p.active)).toEqual([10, 10, 10]);
    expect(parts.map((p) => p.rate)).toEqual([200, 200, 200]);
    expect(splitSpec({ ...spec, connectRate: 3000 }, 3).map((p) => p.connectRate)).toEqual([1000, 1000, 1000]);
    // global connection 40 is the second process's first: address 40 mod 2 = 127.0.0.2
    expect(parts[1]!.sourceAddresses).toEqual(["127.0.0.2", "127.0.0.3"]);
    expect(new Set(parts.map((p) => p.seed)).size).toBe(3);
    expect(parts.every((p) => p.connectionsPerProcess === undefined)).toBe(true);
    let total = 0;
    for (const [first, count] of [
      [0, 7],
      [7, 13],
      [20, 5],
    ] as const)
      total += activeIn(first, count, 9, 25);
    expect(total).toBe(9);
    expect(() => splitSpec({ ...spec, requests: 100 }, 3)).toThrow(BadInputError);
  });
});

describe("several generator processes", () => {
  it("hold 120 connections at 50 per process and merge their results exactly", async () => {
    server = await startQueueServer(0);
    const spec = {
      ...testSpec(server.port, { connections: 120, rate: 600, durationS: 2, warmupS: 0.5 }),
      active: 30,
      sourceAddresses: ["127.0.0.2", "127.0.0.3"],
      connectionsPerProcess: 50,
    };
    let clientPid = 0;
    let groupAtStart: number[] = [];
    const r = await nativeGenerator.run(spec, {
      onClientPid: (pid) => (clientPid = pid),
      onMeasureStart: () => (groupAtStart = groupPids(clientPid)),
    });
    const st = await server.stats();
    // One client process and its three children, in one process group (CPU is sampled over it).
    expect(groupAtStart.length).toBeGreaterThanOrEqual(4);
    expect(st.connections).toBe(120);
    expect(st.peers).toEqual({ "127.0.0.2": 60, "127.0.0.3": 60 });
    expect(st.sendingConnections).toBe(30);
    // 20 req/s each for 2.5 s from a shared start: 50, or 51 for those whose phase fits one more.
    expect(st.perConnectionMax - st.perConnectionMin).toBeLessThanOrEqual(1);
    // Exact merge: every request the processes sent, the server saw; every answer is counted
    // once in the merged accounting, histograms and seconds.
    expect(r.sent).toBe(st.requests);
    expect(r.answered).toBe(st.served);
    expect(r.latency.totalCount).toBe(r.requests);
    expect(r.perSecond.reduce((a, b) => a + b, 0)).toBe(r.requests);
    expect(r.intervals!.map((iv) => iv.histogram.totalCount)).toEqual(r.perSecond);
    expect(Math.abs(r.requests - 1200) / 1200).toBeLessThan(0.02);
    expect(r.connect!.firstOpened).toBe(120);
    expect(r.connect!.latency.totalCount).toBe(r.connect!.opened);
    expect(r.memory!.connections).toBe(120);
    expect(r.latencyFrom).toBe("intended-send");
  }, 30_000);
});
