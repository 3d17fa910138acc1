// The stdin/stdout control channel, against the real node-http target process.
import { describe, expect, it } from "vitest";

import { TargetError } from "../src/targets/errors.js";
import { startTarget } from "../src/targets/process.js";
import { findTarget } from "../src/targets/registry.js";
import { parseStats } from "../src/targets/stats.js";
import { buildRequest, exchange } from "../src/targets/http-probe.js";

const def = findTarget("node-http")!;
const opts = { host: "127.0.0.1", port: 0, threads: 1, mode: "http" as const, env: {}, args: [], cpus: null, readyTimeoutMs: 10_000 };

describe("control channel", () => {
  it("answers stats with the contract's fields, and counts requests between two reads", async () => {
    const t = await startTarget(def, opts);
    try {
      const a = await t.stats();
      expect(a.runtime).toBe("node");
      expect(a.versions["node"]).toBe(process.version);
      for (const k of ["gcCycles", "gcPauseNs", "allocBytes", "heapBytes", "requests"] as const) {
        expect(typeof a[k]).toBe("number");
      }
      const one = buildRequest("GET", "/plaintext", null);
      await exchange("127.0.0.1", t.port, Buffer.concat(Array(10).fill(one)), 10);
      const b = await t.stats();
      expect(b.requests! - a.requests!).toBe(10);
      expect(b.allocBytes!).toBeGreaterThan(a.allocBytes!);
    } finally {
      await t.stop();
    }
  });

  it("exits at once, with status 0, when its stdin closes", async () => {
    const t = await startTarget(def, opts);
    const t0 = performance.now();
    const e = await t.stop();
    expect(e).toEqual({ code: 0, signal: null });
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it("serves cluster workers and sums their counters with --threads 2", async () => {
    const t = await startTarget(def, { ...opts, threads: 2 });
    try {
      const one = buildRequest("GET", "/plaintext", null);
      for (let i = 0; i < 4; i++) await exchange("127.0.0.1", t.port, one, 1);
      const s = await t.stats();
      expect(s.extra["workers"]).toBe(2);
      expect(s.requests).toBe(4);
    } finally {
      await t.stop();
    }
  });

  it("rejects a stats line that breaks the contract, naming the field", () => {
    expect(() => parseStats('{"runtime":"go","gcCycles":"many","gcPauseNs":0}', "x")).toThrow(TargetError);
    expect(() => parseStats('{"runtime":"go","gcCycles":"many","gcPauseNs":0}', "x")).toThrow(/gcCycles/);
    expect(() => parseStats("READY 80", "x")).toThrow(/not JSON/);
  });

  it("reports a target that dies before READY with its stderr", async () => {
    await expect(startTarget(def, { ...opts, args: ["--bogus", "1"] })).rejects.toThrow(/unknown flag: --bogus/);
  });
});
