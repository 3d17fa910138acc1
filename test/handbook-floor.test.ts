// The c-floor's answers beyond GET /plaintext (the floor row of seed-table): POST /echo with
// Content-Length bodies, HEAD, 404, Connection: close, and what it refuses (chunked bodies),
// through the real process on loopback. The shared checks live in conformance.test.ts.
import net from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { buildRequest, exchange, randomBody } from "../src/targets/http-probe.js";
import { startTarget, type RunningTarget } from "../src/targets/process.js";
import { findTarget } from "../src/targets/registry.js";
import { checkResponse } from "../src/targets/verify.js";

const HOST = "127.0.0.1";
const floor = findTarget("c-floor")!;
const why = floor.unavailableReason();

/** Writes data in pieces of `step` bytes, 1 ms apart, and collects raw bytes until `until` matches or close. */
function rawTalk(port: number, data: Buffer, step: number, until: (b: Buffer) => boolean): Promise<{ raw: Buffer; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: HOST, port, noDelay: true });
    let raw = Buffer.alloc(0);
    let off = 0;
    const timer = setTimeout(() => (sock.destroy(), reject(new Error(`no answer in 10 s (${raw.length} B)`))), 10_000);
    const done = (closed: boolean) => (clearTimeout(timer), sock.destroy(), resolve({ raw, closed }));
    const next = () => {
      if (off >= data.length || sock.destroyed) return;
      sock.write(data.subarray(off, off + step));
      off += step;
      setTimeout(next, 1);
    };
    sock.on("connect", next);
    sock.on("data", (d) => {
      raw = Buffer.concat([raw, d]);
      if (until(raw)) done(false);
    });
    sock.on("close", () => done(true));
    sock.on("error", () => {});
  });
}

describe.skipIf(why !== null)(`c-floor beyond GET /plaintext${why ? ` (skipped: ${why})` : ""}`, () => {
  let t: RunningTarget;
  beforeAll(async () => {
    t = await startTarget(floor, { host: HOST, port: 0, threads: 1, mode: "http", env: {}, args: [], cpus: null, readyTimeoutMs: 15_000 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("is registered as answering POST /echo and HEAD /plaintext", () => {
    expect(floor.answers).toContain("POST /echo");
    expect(floor.answers).toContain("HEAD /plaintext");
  });

  it("POST /echo returns 0 B, 1 KiB and 1 MiB bodies", async () => {
    for (const n of [0, 1024, 1 << 20]) {
      const body = randomBody(n);
      const { responses } = await exchange(HOST, t.port, buildRequest("POST", "/echo", body), 1, 10_000);
      expect(checkResponse(responses[0]!, 200, "application/octet-stream", body), `${n} B`).toEqual([]);
      expect(responses[0]!.headers.get("content-length")).toBe(String(n));
    }
  });

  it("pipelined echoes and plaintexts are answered in order", async () => {
    const a = randomBody(3000);
    const b = randomBody(17);
    const reqs = [buildRequest("POST", "/echo", a), buildRequest("GET", "/plaintext", null), buildRequest("POST", "/echo", b)];
    const { responses } = await exchange(HOST, t.port, Buffer.concat(reqs), 3);
    expect(checkResponse(responses[0]!, 200, "application/octet-stream", a)).toEqual([]);
    expect(checkResponse(responses[1]!, 200, "text/plain", Buffer.from("Hello, World!"))).toEqual([]);
    expect(checkResponse(responses[2]!, 200, "application/octet-stream", b)).toEqual([]);
  });

  it("an echo whose head and body arrive a few bytes at a time is answered", async () => {
    const body = randomBody(200);
    const req = buildRequest("POST", "/echo", body, { "X-Padding": "p".repeat(40) });
    const { raw } = await rawTalk(t.port, req, 7, (b) => b.length >= 200 && b.subarray(-200).equals(body));
    expect(raw.toString("latin1")).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw.subarray(-200).equals(body)).toBe(true);
  });

  it("anything else is 404 Not Found, and a 404's body is skipped", async () => {
    for (const [m, p] of [
      ["GET", "/nope"],
      ["GET", "/echo"],
      ["POST", "/plaintext?x=1"],
      ["PUT", "/echo"],
    ] as const) {
      const req = Buffer.concat([
        buildRequest(m, p, m === "GET" ? null : Buffer.from("GET /plaintext HTTP/1.1\r\n\r\n")),
        buildRequest("GET", "/plaintext", null),
      ]);
      const { responses } = await exchange(HOST, t.port, req, 2);
      expect(checkResponse(responses[0]!, 404, "text/plain", Buffer.from("Not Found")), `${m} ${p}`).toEqual([]);
      expect(responses[1]!.status, `${m} ${p}: the next request`).toBe(200);
    }
  });

  it("HEAD /plaintext gets GET's headers and no body", async () => {
    const req = Buffer.concat([buildRequest("HEAD", "/plaintext", null), buildRequest("GET", "/plaintext", null)]);
    const { raw } = await rawTalk(t.port, req, req.length, (b) => b.toString("latin1").endsWith("Hello, World!"));
    const text = raw.toString("latin1");
    const heads = text.split("HTTP/1.1 200 OK\r\n");
    expect(heads).toHaveLength(3); // "", HEAD's answer, GET's answer
    expect(heads[1]).toMatch(/Content-Length: 13\r\n/);
    expect(heads[1]!.endsWith("\r\n\r\n")).toBe(true);
  });

  it("Connection: close gets Connection: close and the server closes", async () => {
    const { raw, closed } = await rawTalk(t.port, buildRequest("GET", "/plaintext", null, { Connection: "close" }), 1000, () => false);
    expect(closed).toBe(true);
    expect(raw.toString("latin1")).toMatch(/Connection: close\r\n/);
    expect(raw.toString("latin1").endsWith("Hello, World!")).toBe(true);
  });

  it("a chunked request body is refused by closing, and the floor lives on", async () => {
    const req = Buffer.from("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    const { raw, closed } = await rawTalk(t.port, req, req.length, () => false);
    expect(closed).toBe(true);
    expect(raw.length).toBe(0);
    const { responses } = await exchange(HOST, t.port, buildRequest("GET", "/plaintext", null), 1);
    expect(responses[0]!.status).toBe(200);
    expect((await t.stats()).requests).toBeGreaterThan(0);
  });
});
