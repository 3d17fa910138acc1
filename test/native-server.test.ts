// The addon's event-loop server, in-process, over loopback: exact answers, pipelining, closes,
// error answers, 10,000 idle connections and a slowloris client that must not hold others up.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface ServerStats {
  connectionsOpen: number;
  connectionsTotal: number;
  requests: number;
  errParse: number;
  errHeaderTooLarge: number;
  errBodyTooLarge: number;
  [name: string]: number;
}
interface NativeServer {
  listen(): number;
  stats(): ServerStats;
  close(): void;
}
type ServerCtor = new (options: Record<string, unknown>) => NativeServer;

const addonPath = resolve(dirname(fileURLToPath(import.meta.url)), "..", "build", "Release", "evbench_native.node");

function loadServer(): ServerCtor {
  if (!existsSync(addonPath)) throw new Error(`${addonPath} is missing: run npm run build:addon`);
  return (createRequire(import.meta.url)(addonPath) as { Server: ServerCtor }).Server;
}

const DATE = /Date: [A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT\r\n/;
const PLAINTEXT = "HTTP/1.1 200 OK\r\nServer: evbench\r\nDate: *\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";
const GET = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

// Splits a byte stream into complete responses (head + Content-Length body).
function splitResponses(buf: Buffer): { responses: string[]; rest: Buffer } {
  const responses: string[] = [];
  let rest = buf;
  for (;;) {
    const end = rest.indexOf("\r\n\r\n");
    if (end < 0) break;
    const head = rest.subarray(0, end + 4).toString("latin1");
    const len = Number(/content-length: (\d+)\r\n/i.exec(head)?.[1] ?? 0);
    if (rest.length < end + 4 + len) break;
    responses.push(rest.subarray(0, end + 4 + len).toString("latin1"));
    rest = rest.subarray(end + 4 + len);
  }
  return { responses, rest };
}

interface Exchange {
  responses: string[];
  closed: boolean;
  rest: string; // bytes after the last complete response (a chunked body is not split)
}

// Sends `request` and waits for `count` responses, or for the server to close.
function exchange(port: number, request: string | Buffer, count: number, timeoutMs = 5000): Promise<Exchange> {
  return new Promise((resolvePromise, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let buf = Buffer.alloc(0);
    const all: string[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`timed out with ${all.length}/${count} responses`));
    }, timeoutMs);
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolvePromise({ responses: all, closed, rest: buf.toString("latin1") });
    };
    socket.on("connect", () => socket.write(request));
    socket.on("data", (d) => {
      const { responses, rest } = splitResponses(Buffer.concat([buf, d]));
      buf = rest;
      all.push(...responses);
      if (all.length >= count && count > 0 && !responses.some((r) => /connection: close/i.test(r))) finish(false);
    });
    socket.on("end", () => finish(true));
    socket.on("error", (e: NodeJS.ErrnoException) => (e.code === "ECONNRESET" ? finish(true) : reject(e)));
  });
}

// Child process for the 10,000-connection test: opens them in batches, prints "OPEN <n>", answers
// "ping" by sending a request on its oldest connection and printing the answer as a JSON string,
// and exits when its stdin closes.
const HOLDER = `
const net = require("node:net");
const port = Number(process.argv[1]);
const sockets = [];
(async () => {
  for (let b = 0; b < 20; b++) {
    await Promise.all(Array.from({ length: 500 }, () => new Promise((ok, fail) => {
      const s = net.connect(port, "127.0.0.1", ok);
      s.on("error", fail);
      sockets.push(s);
    })));
  }
  console.log("OPEN " + sockets.length);
})().catch((e) => { console.log("ERROR " + e.message); process.exit(1); });
require("node:readline").createInterface({ input: process.stdin })
  .on("line", () => {
    sockets[0].once("data", (d) => console.log(JSON.stringify(d.toString("latin1"))));
    sockets[0].write("GET /plaintext HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n");
  })
  .on("close", () => { for (const s of sockets) s.destroy(); process.exit(0); });
`;

const noDate = (s: string | undefined) => (s ?? "").replace(DATE, "Date: *\r\n");

describe("native server (addon, in-process)", () => {
  let Server: ServerCtor;
  let server: NativeServer;
  let port: number;

  beforeAll(() => {
    Server = loadServer();
    server = new Server({ port: 0, threads: 2, mode: "http", maxBodyBytes: 1024 });
    port = server.listen();
  });
  afterAll(() => server?.close());

  it("validates its options with one message form", () => {
    expect(() => new Server({ port: 0, threads: -1, mode: "http" })).toThrow(
      "Expected positive integer for threads but received -1 of type number",
    );
    expect(() => new Server({ port: 0, threads: 1, mode: "ftp" })).toThrow(/Expected one of 'http', 'echo' for mode/);
    expect(() => new Server({ port: 70000, threads: 1, mode: "http" })).toThrow(/for port but received 70000/);
  });

  it("reports a port in use as EADDRINUSE", () => {
    const other = new Server({ port, threads: 1, mode: "http" });
    expect(() => other.listen()).toThrow(expect.objectContaining({ code: "EADDRINUSE" }));
    other.close();
  });

  it("answers the three requests with the exact bytes", async () => {
    const r = await exchange(port, GET + "POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /x?plaintext HTTP/1.1\r\n\r\n", 3);
    expect(noDate(r.responses[0])).toBe(PLAINTEXT);
    expect(noDate(r.responses[1])).toBe(
      "HTTP/1.1 200 OK\r\nServer: evbench\r\nDate: *\r\nContent-Type: application/octet-stream\r\nContent-Length: 5\r\n\r\nhello",
    );
    expect(noDate(r.responses[2])).toBe(
      "HTTP/1.1 404 Not Found\r\nServer: evbench\r\nDate: *\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nNot Found",
    );
    // A chunked body streams back chunked (never gathered whole), so it is read to the close.
    const chunked = await exchange(
      port,
      "POST /echo HTTP/1.1\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
      0,
    );
    const raw = chunked.responses.join("") + chunked.rest;
    expect(raw).toMatch(/Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n$/);
  });

  it("answers 16 pipelined requests in order", async () => {
    let batch = "";
    for (let i = 0; i < 16; i++) {
      batch += i % 4 === 3 ? `POST /echo HTTP/1.1\r\nContent-Length: ${String(i).length}\r\n\r\n${i}` : GET;
    }
    const r = await exchange(port, batch, 16);
    expect(r.responses).toHaveLength(16);
    r.responses.forEach((resp, i) => {
      if (i % 4 === 3) expect(resp.endsWith(`\r\n\r\n${i}`)).toBe(true);
      else expect(noDate(resp)).toBe(PLAINTEXT);
    });
  });

  it("closes after a Connection: close request", async () => {
    const r = await exchange(port, "GET /plaintext HTTP/1.1\r\nConnection: close\r\n\r\n", 1);
    expect(r.responses).toHaveLength(1);
    expect(r.responses[0]).toMatch(/\r\nConnection: close\r\n/);
    expect(r.closed).toBe(true);
  });

  it("answers 400, 431 and 413, each with Connection: close, and closes", async () => {
    const before = server.stats();
    const cases: Array<[string, RegExp]> = [
      ["GET /plaintext HTTP/1.1\r\nno colon here\r\n\r\n", /^HTTP\/1\.1 400 Bad Request\r\n/],
      ["GET\t/ HTTP/1.1\r\n\r\n", /^HTTP\/1\.1 400 /],
      [`GET /plaintext HTTP/1.1\r\nX-Big: ${"a".repeat(9000)}\r\n\r\n`, /^HTTP\/1\.1 431 /],
      [`POST /echo HTTP/1.1\r\nContent-Length: 2000\r\n\r\n${"b".repeat(2000)}`, /^HTTP\/1\.1 413 /],
    ];
    for (const [request, status] of cases) {
      const r = await exchange(port, request, 1);
      expect(r.responses[0]).toMatch(status);
      expect(r.responses[0]).toMatch(/\r\nConnection: close\r\n/);
      expect(r.closed).toBe(true);
    }
    const after = server.stats();
    expect(after.errParse - before.errParse).toBe(2);
    expect(after.errHeaderTooLarge - before.errHeaderTooLarge).toBe(1);
    expect(after.errBodyTooLarge - before.errBodyTooLarge).toBe(1);
  });

  it("is not delayed by a slowloris client holding half a header", async () => {
    const slow = net.connect(port, "127.0.0.1");
    await new Promise((r) => slow.once("connect", r));
    slow.write("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = process.hrtime.bigint();
      const r = await exchange(port, GET, 1);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      expect(noDate(r.responses[0])).toBe(PLAINTEXT);
    }
    latencies.sort((a, b) => a - b);
    const median = latencies[10] ?? Infinity;
    console.log(`slowloris: other connections answered in median ${median.toFixed(2)} ms, max ${latencies[19]?.toFixed(2)} ms`);
    expect(median).toBeLessThan(50);
    // The slow client is still served once its head completes.
    const done = new Promise<string>((r) => slow.once("data", (d) => r(d.toString("latin1"))));
    slow.write("1\r\n\r\n");
    expect(noDate(await done)).toBe(PLAINTEXT);
    slow.destroy();
  });

  it("accepts 10,000 idle connections and still answers", async () => {
    // The server's 10,000 ends live in this process; the clients' 10,000 live in a child process,
    // so neither needs more than the usual 20,000 descriptors (prlimit cannot raise a hard limit
    // without CAP_SYS_RESOURCE, which containers often lack).
    const limit = Number(/Max open files\s+(\d+)/.exec(readFileSync("/proc/self/limits", "utf8"))?.[1] ?? Infinity);
    if (limit < 10_000 + 512) {
      try {
        execFileSync("prlimit", ["--pid", String(process.pid), "--nofile=16384:16384"], { stdio: "pipe" });
      } catch (e) {
        console.warn(`skipped: RLIMIT_NOFILE is ${limit}, below 10,512, and prlimit failed: ${(e as Error).message}`);
        return;
      }
    }
    // Connections of the earlier tests are closed by now, or close within moments.
    for (let i = 0; i < 200 && server.stats().connectionsOpen > 0; i++) await new Promise((r) => setTimeout(r, 10));
    const before = server.stats().connectionsOpen;
    const child = spawn(process.execPath, ["-e", HOLDER, String(port)], { stdio: ["pipe", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const nextLine = async () => String((await lines.next()).value ?? "");
    try {
      const t0 = process.hrtime.bigint();
      expect(await nextLine()).toBe("OPEN 10000");
      console.log(`10,000 connections opened in ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms`);
      for (let i = 0; i < 200 && server.stats().connectionsOpen - before < 10_000; i++) await new Promise((r) => setTimeout(r, 10));
      expect(server.stats().connectionsOpen - before).toBe(10_000);
      const r = await exchange(port, GET, 1);
      expect(noDate(r.responses[0])).toBe(PLAINTEXT);
      child.stdin!.write("ping\n"); // the oldest idle connection still answers
      expect(noDate(JSON.parse(await nextLine()) as string)).toBe(PLAINTEXT);
    } finally {
      child.stdin!.end();
      await new Promise((r) => child.once("exit", r));
    }
    for (let i = 0; i < 300 && server.stats().connectionsOpen > before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(server.stats().connectionsOpen).toBe(before);
  });

  it("echo mode returns every byte", async () => {
    const echo = new Server({ port: 0, threads: 1, mode: "echo" });
    const echoPort = echo.listen();
    try {
      const data = Buffer.alloc(1 << 20, 0).map((_, i) => (i * 7) & 0xff);
      const got = await new Promise<Buffer>((res, rej) => {
        const s = net.connect(echoPort, "127.0.0.1", () => s.write(data));
        const parts: Buffer[] = [];
        let n = 0;
        s.on("data", (d) => {
          parts.push(d);
          n += d.length;
          if (n >= data.length) {
            s.destroy();
            res(Buffer.concat(parts));
          }
        });
        s.on("error", rej);
      });
      expect(got.equals(data)).toBe(true);
      expect(echo.stats().requests).toBe(data.length);
    } finally {
      echo.close();
    }
  });
});
