// native-standalone beyond the shared conformance suite: echo mode, the server's counters in the
// stats line, its exit on stdin EOF, a port in use, and bad flags (exit 2, one line).
import { spawnSync } from "node:child_process";
import net from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { buildRequest, exchange, randomBody } from "../src/targets/http-probe.js";
import { startTarget, type RunningTarget } from "../src/targets/process.js";
import { findTarget } from "../src/targets/registry.js";

const def = findTarget("native-standalone")!;
const why = def.unavailableReason();
const start = (mode: "http" | "echo", port = 0) =>
  startTarget(def, { host: "127.0.0.1", port, threads: 2, mode, env: {}, args: [], cpus: null, readyTimeoutMs: 15_000 });

describe.skipIf(why !== null)(`native-standalone${why ? ` (skipped: ${why})` : ""}`, () => {
  let t: RunningTarget | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it("echoes raw bytes in echo mode and counts them", async () => {
    t = await start("echo");
    const msg = randomBody(100_000);
    const { raw } = await exchange("127.0.0.1", t.port, msg, 0, 5000, msg.length);
    expect(raw.subarray(0, msg.length).equals(msg)).toBe(true);
    const s = await t.stats();
    expect(s.runtime).toBe("native");
    expect(s.requests).toBe(msg.length);
    expect(s.extra).toMatchObject({ mode: "echo", threads: 2, bytesIn: msg.length });
  });

  it("reports the server's counters under extra, and exits 0 when stdin closes", async () => {
    t = await start("http");
    await exchange("127.0.0.1", t.port, Buffer.concat([buildRequest("GET", "/plaintext", null), buildRequest("GET", "/x", null)]), 2);
    const s = await t.stats();
    expect(s.requests).toBe(2);
    expect(s.extra).toMatchObject({ mode: "http", connectionsTotal: 1, requests: 2, errParse: 0 });
    expect(typeof s.versions["cxx"]).toBe("string");
    const exit = await t.stop();
    t = undefined;
    expect(exit.code).toBe(0);
  });

  it("fails with the call and the reason when its port is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = spawnSync(def.command().cmd, ["--port", String(port)], { encoding: "utf8", input: "", timeout: 10_000 });
      expect(r.status).toBe(2); // a held port is the user's to fix, like a bad flag (issue 28)
      expect(r.stderr).toMatch(/listen 127\.0\.0\.1:\d+: .* failed: Address already in use/);
    } finally {
      blocker.close();
    }
  });

  it("refuses bad flags with one line and exit 2", () => {
    for (const args of [["--port", "1", "--mode", "udp"], ["--port", "99999"], ["--threads", "0", "--port", "0"], ["--nope"], []]) {
      const r = spawnSync(def.command().cmd, args, { encoding: "utf8", input: "", timeout: 10_000 });
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stdout).toBe("");
    }
  });
});
