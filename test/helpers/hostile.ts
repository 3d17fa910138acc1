// Tools of the hostile-client suite (test/hostile-*.test.ts): what a target process holds
// (descriptors, resident memory, connections left in CLOSE-WAIT, read from /proc), and the
// peers themselves (many sockets, half-close, resets, slow writers), all on loopback.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";

export const HOST = "127.0.0.1";
const GET = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n";
const PAGE = 4096;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export function rssBytes(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/statm`, "latin1").split(" ")[1]) * PAGE;
}

/** Server-side sockets on `port` in CLOSE-WAIT: the peer closed, the server never did. */
export function closeWaitCount(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  let n = 0;
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(file, "latin1");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 3 && f[1]!.endsWith(`:${hexPort}`) && f[3] === "08") n++;
    }
  }
  return n;
}

/** Polls an async or sync condition every 100 ms until it holds or the time is up; returns it. */
export async function eventually(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() > end) return false;
    await sleep(100);
  }
}

/** One GET /plaintext on a new connection: its status (0: no answer) and milliseconds taken. */
export function getPlaintext(port: number, timeoutMs = 5000): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const sock = net.connect({ host: HOST, port, noDelay: true });
    let buf = "";
    const done = (status: number) => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ status, ms: performance.now() - t0 });
    };
    const timer = setTimeout(() => done(0), timeoutMs);
    sock.on("connect", () => sock.write(GET));
    sock.on("data", (d) => {
      buf += d.toString("latin1");
      if (buf.endsWith("Hello, World!")) done(Number(buf.slice(9, 12)));
    });
    sock.on("error", () => done(0));
    sock.on("close", () => done(0));
  });
}

/** Retries GET /plaintext until one is answered 200 (a target shedding load may refuse a while). */
export async function servesAgain(port: number, timeoutMs = 10_000): Promise<boolean> {
  return eventually(async () => (await getPlaintext(port, 2000)).status === 200, timeoutMs);
}

/** Opens n connections, `batch` at a time; a connection that fails is counted, not thrown. */
export async function openMany(port: number, n: number, batch = 250): Promise<{ sockets: net.Socket[]; failed: number }> {
  const sockets: net.Socket[] = [];
  let failed = 0;
  for (let i = 0; i < n; i += batch) {
    const k = Math.min(batch, n - i);
    await Promise.all(
      Array.from(
        { length: k },
        () =>
          new Promise<void>((resolve) => {
            const s = net.connect({ host: HOST, port, noDelay: true });
            let settled = false;
            const settle = (ok: boolean) => {
              if (settled) return; // an error after connect is the test's business
              settled = true;
              clearTimeout(timer);
              if (ok) sockets.push(s);
              else failed++, s.destroy();
              resolve();
            };
            const timer = setTimeout(() => settle(false), 5000);
            s.once("connect", () => settle(true));
            s.on("error", () => settle(false));
          }),
      ),
    );
  }
  return { sockets, failed };
}

/** Closes sockets and waits for their close events (bounded). */
export async function closeAll(sockets: net.Socket[]): Promise<void> {
  await Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.destroyed) return resolve();
          const t = setTimeout(resolve, 2000);
          s.once("close", () => (clearTimeout(t), resolve()));
          s.destroy();
        }),
    ),
  );
}

/** Sends one request per connection and resolves with how many got a 200 answer. */
export async function requestOnEach(sockets: net.Socket[], timeoutMs = 10_000): Promise<number> {
  const answered = await Promise.all(
    sockets.map(
      (s) =>
        new Promise<boolean>((resolve) => {
          let buf = "";
          const t = setTimeout(() => resolve(false), timeoutMs);
          const onData = (d: Buffer) => {
            buf += d.toString("latin1");
            if (buf.endsWith("Hello, World!")) {
              clearTimeout(t);
              s.off("data", onData);
              resolve(buf.startsWith("HTTP/1.1 200"));
            }
          };
          s.on("data", onData);
          s.once("close", () => (clearTimeout(t), resolve(false)));
          s.write(GET);
        }),
    ),
  );
  return answered.filter(Boolean).length;
}

/** A GET followed at once by the client's FIN; resolves true when the answer came and the server
 *  then closed its side. */
export function halfClose(port: number, timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: HOST, port, noDelay: true, allowHalfOpen: true });
    let buf = "";
    const timer = setTimeout(() => (sock.destroy(), resolve(false)), timeoutMs);
    sock.on("connect", () => sock.end(GET));
    sock.on("data", (d) => (buf += d.toString("latin1")));
    sock.on("end", () => {
      clearTimeout(timer);
      sock.destroy();
      resolve(buf.endsWith("Hello, World!"));
    });
    sock.on("error", () => (clearTimeout(timer), resolve(false)));
  });
}

/** Writes `data` one byte per write (Nagle off), then resolves with everything read until `done`
 *  says the answer is complete. */
export function oneByteWrites(port: number, data: string, done: (got: string) => boolean, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: HOST, port, noDelay: true });
    let got = "";
    const timer = setTimeout(() => (sock.destroy(), resolve(got)), timeoutMs);
    sock.on("connect", async () => {
      for (let i = 0; i < data.length && !sock.destroyed; i++) {
        sock.write(data[i]!);
        if (i % 8 === 7) await sleep(1); // separate segments, not one coalesced write
      }
    });
    sock.on("data", (d) => {
      got += d.toString("latin1");
      if (done(got)) {
        clearTimeout(timer);
        sock.destroy();
        resolve(got);
      }
    });
    sock.on("error", () => (clearTimeout(timer), resolve(got)));
  });
}

/** Connects, writes `data`, waits `afterMs` (reading nothing), then resets the connection (RST). */
export function resetAfter(port: number, data: string | Buffer, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: HOST, port, noDelay: true });
    sock.on("error", () => {});
    sock.on("connect", () => {
      sock.write(data);
      setTimeout(() => (sock.resetAndDestroy(), resolve()), afterMs);
    });
    setTimeout(resolve, afterMs + 3000);
  });
}

/** Lowers a running process's descriptor limit (soft and hard) with prlimit(1); false when the
 *  tool is missing or refused. */
export function lowerFdLimit(pid: number, limit: number): boolean {
  const r = spawnSync("prlimit", ["--pid", String(pid), `--nofile=${limit}:${limit}`], { encoding: "utf8" });
  return r.status === 0;
}

/** The soft descriptor limit of a process, from /proc. */
export function fdLimitOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/limits`, "latin1")
    .split("\n")
    .find((l) => l.startsWith("Max open files"));
  return Number(line?.trim().split(/\s+/)[3] ?? NaN);
}

/** Connects, writes `data` and reads until the server closes (or the time is up): everything the
 *  server sent, and whether it closed by itself. */
export function readUntilClose(port: number, data: string | Buffer, timeoutMs = 5000): Promise<{ got: string; closed: boolean }> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: HOST, port, noDelay: true });
    let got = "";
    const done = (closed: boolean) => (clearTimeout(timer), sock.destroy(), resolve({ got, closed }));
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on("connect", () => sock.write(data));
    sock.on("data", (d) => (got += d.toString("latin1")));
    sock.on("end", () => done(true));
    sock.on("error", () => done(true));
  });
}
