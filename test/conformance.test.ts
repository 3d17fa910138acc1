// One conformance suite, run against every registered target that is built here: the same
// requests, the same expected bytes (docs/architecture.md, "Target process"), through real
// processes on loopback. A target that is not built is reported as skipped, with the reason.
import net from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { nativeServerBackendUnavailable } from "../src/load/backend.js";
import { buildRequest, exchange, parseResponse, randomBody } from "../src/targets/http-probe.js";
import { startTarget, type RunningTarget } from "../src/targets/process.js";
import { TARGETS, type TargetDef } from "../src/targets/registry.js";
import { checkResponse } from "../src/targets/verify.js";

const HOST = "127.0.0.1";
const HELLO = Buffer.from("Hello, World!");

function chunked(body: Buffer, pieces: number): Buffer {
  const parts: Buffer[] = [Buffer.from(`POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`)];
  const step = Math.ceil(body.length / pieces);
  for (let i = 0; i < body.length; i += step) {
    const c = body.subarray(i, i + step);
    parts.push(Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from("0\r\n\r\n"));
  return Buffer.concat(parts);
}

/** Writes `data` a few bytes at a time, then reads one response. */
function dribble(port: number, data: Buffer, step: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: HOST, port, noDelay: true });
    let buf = Buffer.alloc(0);
    let off = 0;
    const timer = setTimeout(() => (sock.destroy(), reject(new Error("no answer to a dribbled request"))), 10_000);
    const next = () => {
      if (off >= data.length) return;
      sock.write(data.subarray(off, off + step));
      off += step;
      setTimeout(next, 1);
    };
    sock.on("connect", next);
    sock.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      const r = parseResponse(buf);
      if (r) {
        clearTimeout(timer);
        sock.destroy();
        resolve(r.res.body);
      }
    });
    sock.on("error", reject);
  });
}

/** Sends bytes, then waits until the server closes or answers; never hangs past the timeout. */
function sendExpectingCloseOrError(port: number, data: Buffer): Promise<{ closed: boolean; status: number | null }> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: HOST, port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      sock.destroy();
      const r = parseResponse(buf);
      resolve({ closed: false, status: r?.res.status ?? null });
    }, 3000);
    sock.on("connect", () => sock.write(data));
    sock.on("data", (d) => (buf = Buffer.concat([buf, d])));
    const done = () => {
      clearTimeout(timer);
      let status: number | null = null;
      try {
        status = parseResponse(buf)?.res.status ?? null;
      } catch {
        status = null;
      }
      resolve({ closed: true, status });
    };
    sock.on("close", done);
    sock.on("error", () => {});
  });
}

/** Sends HEAD /plaintext, HEAD /nope and GET /plaintext in one write; resolves with the raw bytes
 *  once the GET's body has arrived (a HEAD answer carrying a body would show up before it). */
function headThenGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: HOST, port });
    let buf = "";
    const timer = setTimeout(() => (sock.destroy(), reject(new Error(`no GET answer after the HEADs: ${JSON.stringify(buf)}`))), 5000);
    sock.on("connect", () =>
      sock.write(
        "HEAD /plaintext HTTP/1.1\r\nHost: x\r\n\r\nHEAD /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n",
      ),
    );
    sock.on("data", (d) => {
      buf += d.toString("latin1");
      if ((buf.match(/HTTP\/1\.1 /g) ?? []).length >= 3 && buf.endsWith("Hello, World!")) {
        clearTimeout(timer);
        sock.destroy();
        resolve(buf);
      }
    });
    sock.on("error", reject);
  });
}

for (const def of TARGETS) {
  const why = def.unavailableReason();
  describe.skipIf(why !== null)(`conformance: ${def.name}${why ? ` (skipped: ${why})` : ""}`, () => {
    conformance(def);
  });
}

// The native server's io_uring loops (issue 17) answer exactly as its epoll loops do.
{
  const def = TARGETS.find((d) => d.name === "native")!;
  const why = def.unavailableReason() ?? nativeServerBackendUnavailable("io_uring");
  describe.skipIf(why !== null)(`conformance: native --backend io_uring${why ? ` (skipped: ${why})` : ""}`, () => {
    conformance(def, ["--backend", "io_uring"]);
  });
}

function conformance(def: TargetDef, args: string[] = []) {
  let t: RunningTarget;
  const full = def.answers === "contract";

  beforeAll(async () => {
    t = await startTarget(def, { host: HOST, port: 0, threads: 1, mode: "http", env: {}, args, cpus: null, readyTimeoutMs: 15_000 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("GET /plaintext: exact status, headers and body", async () => {
    const { responses } = await exchange(HOST, t.port, buildRequest("GET", "/plaintext", null), 1);
    expect(checkResponse(responses[0]!, 200, "text/plain", HELLO)).toEqual([]);
    expect(responses[0]!.headers.get("content-length")).toBe("13");
  });

  it.skipIf(!full)("HEAD is answered like GET without the body", async () => {
    const raw = await headThenGet(t.port);
    const answers = raw.split(/(?=HTTP\/1\.1 )/);
    expect(answers).toHaveLength(3);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answers[0]).toMatch(/\r\ncontent-length: 13\r\n/i);
    expect(answers[0]!.endsWith("\r\n\r\n")).toBe(true);
    expect(answers[1]).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(answers[1]).toMatch(/\r\ncontent-length: 9\r\n/i);
    expect(answers[1]!.endsWith("\r\n\r\n")).toBe(true);
    expect(answers[2]!.endsWith("\r\n\r\nHello, World!")).toBe(true);
  });

  it("16 pipelined requests are answered in order", async () => {
    const reqs = Array.from({ length: 16 }, () => buildRequest("GET", "/plaintext", null));
    const { responses } = await exchange(HOST, t.port, Buffer.concat(reqs), 16);
    expect(responses).toHaveLength(16);
    for (const r of responses) expect(checkResponse(r, 200, "text/plain", HELLO)).toEqual([]);
  });

  it("a request split across many small writes is answered", async () => {
    const body = await dribble(t.port, buildRequest("GET", "/plaintext", null, { "X-Padding": "p".repeat(40) }), 3);
    expect(body.equals(HELLO)).toBe(true);
  });

  it.skipIf(!full)("Connection: close gets Connection: close and the server closes", async () => {
    const { responses, closed } = await exchange(HOST, t.port, buildRequest("GET", "/plaintext", null, { Connection: "close" }), 1, 3000);
    expect(responses[0]!.headers.get("connection")?.toLowerCase()).toBe("close");
    // exchange() resolves on the response; give the close a moment to arrive
    const again =
      closed || (await sendExpectingCloseOrError(t.port, buildRequest("GET", "/plaintext", null, { Connection: "close" }))).closed;
    expect(again).toBe(true);
  });

  it("the control channel answers with the contract's fields", async () => {
    const s = await t.stats();
    expect(typeof s.runtime).toBe("string");
    expect(s.gcCycles).toBeGreaterThanOrEqual(0);
    expect(s.gcPauseNs).toBeGreaterThanOrEqual(0);
    expect(s.requests === null || s.requests > 0).toBe(true);
  });

  it.skipIf(!full)("POST /echo returns 0 B, 1 KiB and 1 MiB bodies", async () => {
    for (const n of [0, 1024, 1 << 20]) {
      const body = randomBody(n);
      const { responses } = await exchange(HOST, t.port, buildRequest("POST", "/echo", body), 1, 10_000);
      expect(checkResponse(responses[0]!, 200, "application/octet-stream", body), `${n} B`).toEqual([]);
    }
  });

  it.skipIf(!full)("POST /echo with a chunked request body", async () => {
    const body = randomBody(5000);
    const { responses } = await exchange(HOST, t.port, chunked(body, 7), 1, 5000);
    expect(checkResponse(responses[0]!, 200, "application/octet-stream", body)).toEqual([]);
  });

  it.skipIf(!full)("anything else is 404 Not Found", async () => {
    for (const [m, p] of [
      ["GET", "/nope"],
      ["GET", "/echo"],
      ["POST", "/plaintext?x=1"],
    ] as const) {
      const { responses } = await exchange(HOST, t.port, buildRequest(m, p, m === "POST" ? Buffer.from("x") : null), 1);
      expect(checkResponse(responses[0]!, 404, "text/plain", Buffer.from("Not Found")), `${m} ${p}`).toEqual([]);
    }
  });

  it.skipIf(!full)("a malformed request gets 400 or a close, never a hang, and the target lives on", async () => {
    const r = await sendExpectingCloseOrError(t.port, Buffer.from("THIS IS NOT HTTP\r\n\r\n"));
    expect(r.closed || r.status === 400).toBe(true);
    if (r.status !== null) expect(r.status).toBe(400);
    const { responses } = await exchange(HOST, t.port, buildRequest("GET", "/plaintext", null), 1);
    expect(responses[0]!.status).toBe(200);
  });
}
