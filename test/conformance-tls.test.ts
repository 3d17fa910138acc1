// The conformance suite over TLS (HTTP/1.1) and HTTP/2 (over TLS and h2c), for every registered
// target that claims them: the same answers as over plain HTTP/1.1 (docs/architecture.md "Target
// process"), and hostile peers on the TLS port (a plain client, a client that distrusts the
// certificate, garbage for a ClientHello, handshakes never finished) never hang or end the server.
import net from "node:net";
import tls from "node:tls";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Protocol } from "../src/model/index.js";
import { h2Exchange } from "../src/targets/h2-probe.js";
import { buildRequest, exchange, randomBody } from "../src/targets/http-probe.js";
import type { RunningTarget } from "../src/targets/process.js";
import { TARGETS, type TargetDef } from "../src/targets/registry.js";
import { checkResponse } from "../src/targets/verify.js";
import { makeRunCerts, opensslUnavailableReason, type TlsFiles } from "../src/tls/certs.js";
import { HOST, startOver, wireOf } from "./helpers/tls-target.js";

const HELLO = Buffer.from("Hello, World!");
const NOT_FOUND = Buffer.from("Not Found");
const noOpenssl = await opensslUnavailableReason();

/** Writes `data` over TLS and resolves with what came back once `done(raw)` holds, or rejects. */
function tlsRaw(port: number, ca: Buffer, data: Buffer, done: (raw: string) => boolean, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    let raw = "";
    const sock = tls.connect({ host: HOST, port, ca, ALPNProtocols: ["http/1.1"] }, () => sock.write(data));
    const timer = setTimeout(
      () => (sock.destroy(), reject(new Error(`no complete answer: ${JSON.stringify(raw.slice(0, 200))}`))),
      timeoutMs,
    );
    sock.on("data", (d: Buffer) => {
      raw += d.toString("latin1");
      if (done(raw)) {
        clearTimeout(timer);
        sock.destroy();
        resolve(raw);
      }
    });
    sock.on("error", (e) => (clearTimeout(timer), reject(e)));
  });
}

/** Resolves once the peer closes the connection or `ms` pass (false: still open, never a hang). */
function closesWithin(sock: net.Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => (sock.destroy(), resolve(false)), ms);
    sock.on("close", () => (clearTimeout(timer), resolve(true)));
    sock.on("error", () => {});
    sock.resume();
  });
}

const tlsTargets = TARGETS.filter((t) => t.protocols.includes("h1-tls") || t.protocols.includes("h2c"));

describe.skipIf(noOpenssl !== null)(`conformance over TLS and HTTP/2${noOpenssl ? ` (skipped: ${noOpenssl})` : ""}`, () => {
  let certs: TlsFiles;
  beforeAll(async () => {
    certs = await makeRunCerts();
  });
  afterAll(() => certs?.remove());

  for (const def of tlsTargets) {
    const why = def.unavailableReason();
    describe.skipIf(why !== null)(`${def.name}${why ? ` (skipped: ${why})` : ""}`, () => {
      if (def.protocols.includes("h1-tls")) describe("HTTP/1.1 over TLS", () => h1TlsSuite(def, () => certs));
      for (const p of def.protocols.filter((x): x is "h2-tls" | "h2c" => x === "h2-tls" || x === "h2c")) {
        describe(p, () => h2Suite(def, p, () => certs));
      }
    });
  }
});

function h1TlsSuite(def: TargetDef, certsOf: () => TlsFiles) {
  let t: RunningTarget;
  let ca: Buffer;
  beforeAll(async () => {
    t = await startOver(def, "h1-tls", certsOf());
    ca = wireOf("h1-tls", certsOf()).ca!;
  });
  afterAll(async () => {
    await t?.stop();
  });
  const probe = () => ({ ca });

  it("GET, HEAD without a body, 404s, pipelined and chunked, as over plain TCP", async () => {
    const head =
      "HEAD /plaintext HTTP/1.1\r\nHost: x\r\n\r\nHEAD /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n";
    const raw = await tlsRaw(
      t.port,
      ca,
      Buffer.from(head),
      (r) => (r.match(/HTTP\/1\.1 /g) ?? []).length >= 3 && r.endsWith("Hello, World!"),
    );
    const answers = raw.split(/(?=HTTP\/1\.1 )/);
    expect(answers).toHaveLength(3);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answers[0]).toMatch(/\r\ncontent-length: 13\r\n/i);
    expect(answers[1]).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    for (const a of answers.slice(0, 2)) expect(a.endsWith("\r\n\r\n")).toBe(true);
    const reqs = Array.from({ length: 16 }, (_, i) =>
      buildRequest(i % 2 ? "POST" : "GET", i % 2 ? "/echo" : "/plaintext", i % 2 ? Buffer.from(`${i}`) : null),
    );
    const { responses } = await exchange(HOST, t.port, Buffer.concat(reqs), 16, 5000, 0, probe());
    expect(responses).toHaveLength(16);
    for (const [i, r] of responses.entries()) {
      expect(checkResponse(r, 200, i % 2 ? "application/octet-stream" : "text/plain", i % 2 ? Buffer.from(`${i}`) : HELLO)).toEqual([]);
    }
    for (const path of ["/nope", "/echo", "/plaintext?x=1"]) {
      const m = path.startsWith("/plaintext") ? "POST" : "GET";
      const {
        responses: [r],
      } = await exchange(HOST, t.port, buildRequest(m, path, null), 1, 5000, 0, probe());
      expect(checkResponse(r!, 404, "text/plain", NOT_FOUND), `${m} ${path}`).toEqual([]);
    }
    const chunked = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n";
    const {
      responses: [c],
    } = await exchange(HOST, t.port, Buffer.from(chunked), 1, 5000, 0, probe());
    expect(checkResponse(c!, 200, "application/octet-stream", Buffer.from("abcdefg"))).toEqual([]);
  });

  it("POST /echo of 1 MiB, and Connection: close closes", async () => {
    const body = randomBody(1 << 20);
    const {
      responses: [r],
    } = await exchange(HOST, t.port, buildRequest("POST", "/echo", body), 1, 10_000, 0, probe());
    expect(checkResponse(r!, 200, "application/octet-stream", body)).toEqual([]);
    const raw = await tlsRaw(t.port, ca, buildRequest("GET", "/plaintext", null, { Connection: "close" }), (x) =>
      x.endsWith("Hello, World!"),
    );
    expect(raw).toMatch(/\r\nconnection: close\r\n/i);
  });

  it("a second connection resumes with the first one's session, and the server counts it apart", async () => {
    const before = (await t.stats()).extra.tlsHandshakes as { full: number; resumed: number };
    let session: Buffer | undefined;
    for (const wantResumed of [false, true]) {
      const reused = await new Promise<boolean>((resolve, reject) => {
        const sock = tls.connect({ host: HOST, port: t.port, ca, ALPNProtocols: ["http/1.1"], ...(session ? { session } : {}) }, () =>
          sock.write(buildRequest("GET", "/plaintext", null)),
        );
        sock.on("session", (s: Buffer) => (session = s));
        let raw = "";
        sock.on("data", (d: Buffer) => {
          raw += d.toString("latin1");
          if (raw.endsWith("Hello, World!")) {
            const r = sock.isSessionReused();
            sock.destroy();
            resolve(r);
          }
        });
        sock.on("error", reject);
      });
      expect(reused).toBe(wantResumed);
    }
    const after = (await t.stats()).extra.tlsHandshakes as { full: number; resumed: number };
    expect({ full: after.full - before.full, resumed: after.resumed - before.resumed }).toEqual({ full: 1, resumed: 1 });
  });

  it("hostile peers on the TLS port: each fails alone, the server serves on", async () => {
    // A plain HTTP request: an error answer or a close, never a 200 and never a hang.
    const plain = net.connect({ host: HOST, port: t.port }, () => plain.write(buildRequest("GET", "/plaintext", null)));
    let plainRaw = "";
    plain.on("data", (d: Buffer) => (plainRaw += d.toString("latin1")));
    expect(await closesWithin(plain, 5000)).toBe(true);
    expect(plainRaw).not.toMatch(/^HTTP\/1\.1 200/);
    // A client with another CA refuses the certificate.
    const other = await makeRunCerts();
    try {
      await expect(
        exchange(HOST, t.port, buildRequest("GET", "/plaintext", null), 1, 5000, 0, { ca: wireOf("h1-tls", other).ca }),
      ).rejects.toThrow(/certificate|self.signed|verify/i);
    } finally {
      other.remove();
    }
    // Garbage for a ClientHello is closed; 50 handshakes never finished hold only their sockets.
    const garbage = net.connect({ host: HOST, port: t.port }, () => garbage.write(Buffer.alloc(600, 0x16)));
    expect(await closesWithin(garbage, 5000)).toBe(true);
    const idle = await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          new Promise<net.Socket>((r) => {
            const s = net.connect({ host: HOST, port: t.port }, () => r(s));
          }),
      ),
    );
    const {
      responses: [r],
    } = await exchange(HOST, t.port, buildRequest("GET", "/plaintext", null), 1, 5000, 0, probe());
    expect(checkResponse(r!, 200, "text/plain", HELLO)).toEqual([]);
    for (const s of idle) s.destroy();
    expect(t.hasExited()).toBe(false);
  });
}

function h2Suite(def: TargetDef, protocol: Protocol, certsOf: () => TlsFiles) {
  let t: RunningTarget;
  let probe: { ca: Buffer | null } | null;
  beforeAll(async () => {
    t = await startOver(def, protocol, certsOf());
    probe = protocol === "h2c" ? null : { ca: wireOf(protocol, certsOf()).ca };
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("GET, HEAD (the head, no body), POST /echo 0 B to 1 MiB, 404s", async () => {
    const bodies = [0, 1024, 1 << 20].map(randomBody);
    const reqs = [
      { method: "GET", path: "/plaintext", body: null },
      { method: "HEAD", path: "/plaintext", body: null },
      ...bodies.map((body) => ({ method: "POST", path: "/echo", body })),
      { method: "GET", path: "/nope", body: null },
      { method: "GET", path: "/echo", body: null },
      { method: "POST", path: "/plaintext?x=1", body: Buffer.from("x") },
    ];
    const [get, head, ...rest] = await h2Exchange(HOST, t.port, probe, reqs, 10_000);
    expect(checkResponse(get!, 200, "text/plain", HELLO)).toEqual([]);
    expect(checkResponse(head!, 200, "text/plain", Buffer.alloc(0))).toEqual([]);
    expect(head!.headers.get("content-length")).toBe("13");
    for (const [i, b] of bodies.entries()) {
      expect(checkResponse(rest[i]!, 200, "application/octet-stream", b), `${b.length} B`).toEqual([]);
    }
    for (const r of rest.slice(3)) expect(checkResponse(r, 404, "text/plain", NOT_FOUND)).toEqual([]);
  });

  it("100 concurrent streams on one session are all answered", async () => {
    const reqs = Array.from({ length: 100 }, () => ({ method: "GET", path: "/plaintext", body: null }));
    const answers = await h2Exchange(HOST, t.port, probe, reqs, 10_000);
    expect(answers.flatMap((r) => checkResponse(r, 200, "text/plain", HELLO))).toEqual([]);
  });

  it("a broken HTTP/2 peer is dropped alone, the server serves on", async () => {
    // The connection preface followed by a frame of garbage: a GOAWAY or a close, never a hang.
    const preface = Buffer.concat([Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), Buffer.alloc(64, 0xff)]);
    const sock =
      protocol === "h2c"
        ? net.connect({ host: HOST, port: t.port }, () => sock.write(preface))
        : tls.connect({ host: HOST, port: t.port, ca: probe!.ca!, ALPNProtocols: ["h2"] }, () => sock.write(preface));
    expect(await closesWithin(sock, 5000)).toBe(true);
    const [r] = await h2Exchange(HOST, t.port, probe, [{ method: "GET", path: "/plaintext", body: null }]);
    expect(checkResponse(r!, 200, "text/plain", HELLO)).toEqual([]);
    expect(t.hasExited()).toBe(false);
  });
}
