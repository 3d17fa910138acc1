// Hostile clients that only the native server is built to withstand (issue 13): slowloris and
// other never-finished requests (its header and body timeouts), 10,000 idle connections (bytes
// per idle connection reported), and peers that send large chunked echoes and never read (bounded
// memory). The other targets have no timeouts and gather echo bodies whole by design
// (docs/architecture.md, "Hostile peers"); their cases are in hostile-targets.test.ts.
// The target runs as in a benchmark, with short timeouts so the suite stays fast.
import net from "node:net";

import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";

import { nativeServerBackendUnavailable } from "../src/load/backend.js";
import { startTarget, type RunningTarget } from "../src/targets/process.js";
import { TARGETS } from "../src/targets/registry.js";
import {
  closeAll,
  eventually,
  fdCount,
  fdLimitOf,
  getPlaintext,
  HOST,
  openMany,
  requestOnEach,
  rssBytes,
  servesAgain,
  sleep,
} from "./helpers/hostile.js";

const MiB = 1 << 20;
const HEADER_TIMEOUT_S = 2;
const BODY_TIMEOUT_S = 2;
const IDLE_TIMEOUT_S = 30; // longer than any case here: idle connections must stay for the count
const RSS_SLACK = 16 * MiB;

const def = TARGETS.find((d) => d.name === "native")!;
const why = def.unavailableReason();

interface Counters {
  connectionsOpen: number;
  timeoutHeader: number;
  timeoutBody: number;
}

// Under both of the native server's I/O backends (issue 17): the timeouts and bounds are the protocol's.
for (const backend of ["epoll", "io_uring"] as const) {
  const skip = why ?? nativeServerBackendUnavailable(backend);
  describe.skipIf(skip !== null)(`hostile clients, native server only, ${backend}${skip ? ` (skipped: ${skip})` : ""}`, () => {
    const h = {} as Harness;

    beforeAll(async () => {
      const args = [
        "--backend",
        backend,
        "--header-timeout",
        String(HEADER_TIMEOUT_S),
        "--body-timeout",
        String(BODY_TIMEOUT_S),
        "--idle-timeout",
        String(IDLE_TIMEOUT_S),
      ];
      h.t = await startTarget(def, { host: HOST, port: 0, threads: 1, mode: "http", env: {}, args, cpus: null, readyTimeoutMs: 15_000 });
      expect(await servesAgain(h.t.port)).toBe(true);
      await sleep(200);
      h.fd0 = fdCount(h.t.pid);
      h.rss0 = rssBytes(h.t.pid);
    });
    afterAll(async () => {
      await h.t?.stop();
    });

    it("500 slowloris connections are closed by the header timeout while normal requests are answered", () => slowloris(h));
    it("HTTP/0.9, a half-sent head and a stalled body end by their timeouts, never wait forever", () => unfinishedRequests(h));
    it("10,000 idle keep-alive connections: all answered, bytes per idle connection reported", (ctx) => idleConnections(h, ctx));
    it("20 peers sending 7 MiB chunked echoes and never reading: RSS bounded, back near baseline after close", () => chunkedFlood20(h));
  });
}

/** The running target and its baseline, shared by the cases. */
interface Harness {
  t: RunningTarget;
  fd0: number;
  rss0: number;
}

async function counters(h: Harness): Promise<Counters> {
  return (await h.t.stats()).extra as unknown as Counters;
}

/** After every case: alive, serving, connections and descriptors closed, RSS back near baseline. */
async function expectRecovered(h: Harness, what: string) {
  const { t, fd0, rss0 } = h;
  expect(t.hasExited(), `exited after ${what}: ${t.stderrTail()}`).toBe(false);
  expect(await servesAgain(t.port), `serves GET /plaintext after ${what}`).toBe(true);
  expect(await eventually(async () => (await counters(h)).connectionsOpen <= 1, 10_000), `connections closed after ${what}`).toBe(true);
  expect(await eventually(() => fdCount(t.pid) <= fd0 + 1, 5000), `descriptors after ${what}: ${fdCount(t.pid)}, baseline ${fd0}`).toBe(
    true,
  );
  // The loop trims its pools and calls malloc_trim at a sweep (every 250 ms) after a burst of closes.
  const back = await eventually(() => rssBytes(t.pid) < rss0 + RSS_SLACK, 3000);
  console.log(
    `native after ${what}: ${fdCount(t.pid)} fds (baseline ${fd0}), RSS ${(rssBytes(t.pid) / MiB).toFixed(1)} MiB (baseline ${(rss0 / MiB).toFixed(1)})`,
  );
  expect(back, `RSS back within ${RSS_SLACK / MiB} MiB of the baseline after ${what}`).toBe(true);
}

async function slowloris(h: Harness) {
  const before = await counters(h);
  const { sockets, failed } = await openMany(h.t.port, 500);
  expect(failed).toBe(0);
  const closedAt = new Map<net.Socket, number>();
  const t0 = Date.now();
  for (const s of sockets) {
    s.on("error", () => {});
    s.on("close", () => closedAt.set(s, Date.now() - t0));
  }
  const head = "GET /plaintext HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(200);
  let i = 0;
  const drip = setInterval(() => {
    for (const s of sockets) if (!s.destroyed) s.write(head[i % head.length]!);
    i++;
  }, 250);
  const latencies: number[] = [];
  for (let k = 0; k < 20; k++) {
    const r = await getPlaintext(h.t.port);
    expect(r.status, "a normal request beside the slowloris peers").toBe(200);
    latencies.push(r.ms);
    await sleep(100);
  }
  const allClosed = await eventually(() => closedAt.size === sockets.length, (HEADER_TIMEOUT_S + 4) * 1000);
  clearInterval(drip);
  latencies.sort((a, b) => a - b);
  const last = Math.max(...closedAt.values());
  console.log(
    `slowloris: ${closedAt.size} of 500 closed by the server, the last after ${last} ms (header timeout ${HEADER_TIMEOUT_S} s); ` +
      `normal GETs meanwhile: median ${latencies[10]!.toFixed(2)} ms, max ${latencies[19]!.toFixed(2)} ms`,
  );
  expect(allClosed, `${closedAt.size} of 500 slowloris connections closed`).toBe(true);
  expect((await counters(h)).timeoutHeader - before.timeoutHeader).toBeGreaterThanOrEqual(500);
  await closeAll(sockets);
  await expectRecovered(h, "500 slowloris connections");
}

async function unfinishedRequests(h: Harness) {
  const before = await counters(h);
  const cases = ["GET /plaintext\r\n", "GET /plaintext HTTP/1.1\r\nHost: x\r\n", "POST /echo HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc"];
  const closed = await Promise.all(
    cases.map(
      (data) =>
        new Promise<number>((resolve) => {
          const t0 = Date.now();
          const s = net.connect({ host: HOST, port: h.t.port });
          const timer = setTimeout(() => (s.destroy(), resolve(-1)), 10_000);
          s.on("connect", () => s.write(data));
          s.on("data", () => {});
          s.on("error", () => {});
          s.on("close", () => (clearTimeout(timer), resolve(Date.now() - t0)));
        }),
    ),
  );
  console.log(`closed after (ms): HTTP/0.9 ${closed[0]}, half head ${closed[1]}, stalled body ${closed[2]}`);
  for (const ms of closed) expect(ms).toBeGreaterThan(0);
  const after = await counters(h);
  expect(after.timeoutHeader - before.timeoutHeader).toBe(2);
  expect(after.timeoutBody - before.timeoutBody).toBe(1);
  await expectRecovered(h, "unfinished requests");
}

async function idleConnections(h: Harness, ctx: TestContext) {
  const need = 10_000 + 200;
  const limits = { server: fdLimitOf(h.t.pid), client: fdLimitOf(process.pid) };
  if (limits.server < need || limits.client < need) {
    console.log(
      `skipped: descriptor limits ${JSON.stringify(limits)} < ${need}: raise the hard limit (ulimit -Hn) or run under prlimit --nofile=${need}`,
    );
    return ctx.skip();
  }
  // Each batch asks its one request at once: the first request is due within the header timeout.
  const sockets: net.Socket[] = [];
  try {
    let answered = 0;
    for (let i = 0; i < 10_000; i += 500) {
      const batch = await openMany(h.t.port, 500, 500);
      sockets.push(...batch.sockets);
      expect(batch.failed).toBe(0);
      answered += await requestOnEach(batch.sockets);
    }
    expect(answered).toBe(10_000);
    await sleep(500);
    const rss = rssBytes(h.t.pid);
    const perConn = (rss - h.rss0) / 10_000;
    console.log(
      `10,000 idle connections: RSS ${(rss / MiB).toFixed(1)} MiB (baseline ${(h.rss0 / MiB).toFixed(1)}): ${Math.round(perConn)} bytes per idle connection (user space; kernel socket memory is not in RSS)`,
    );
    expect(perConn).toBeLessThan(4096);
    expect((await counters(h)).connectionsOpen).toBeGreaterThanOrEqual(10_000);
    expect((await getPlaintext(h.t.port)).status).toBe(200);
  } finally {
    await closeAll(sockets);
  }
  await expectRecovered(h, "10,000 idle connections");
}

async function chunkedFlood20(h: Harness) {
  const sockets = await Promise.all(Array.from({ length: 20 }, () => chunkedFlood(h.t.port, 7 * MiB)));
  let peak = 0;
  for (let k = 0; k < 30; k++) {
    peak = Math.max(peak, rssBytes(h.t.pid));
    await sleep(100);
  }
  const sent = sockets.reduce((n, s) => n + s.bytesWritten, 0);
  console.log(
    `chunked flood: ${(sent / MiB).toFixed(1)} MiB handed to the sockets by 20 peers that never read; server RSS ${(h.rss0 / MiB).toFixed(1)} -> peak ${(peak / MiB).toFixed(1)} MiB`,
  );
  expect(peak - h.rss0, "RSS growth while 20 peers do not read").toBeLessThan(32 * MiB);
  await closeAll(sockets);
  await expectRecovered(h, "20 unread chunked echoes");
}

/** A POST /echo with a chunked body of `total` bytes in 64 KiB chunks, written as fast as the
 *  kernel takes it; the answer is never read. Resolves once the head is sent. */
function chunkedFlood(port: number, total: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: HOST, port, noDelay: true });
    const chunk = Buffer.concat([Buffer.from("10000\r\n"), Buffer.alloc(65536, 120), Buffer.from("\r\n")]);
    let left = total;
    const pump = () => {
      while (left > 0) {
        left -= 65536;
        const more = s.write(left > 0 ? chunk : Buffer.concat([chunk, Buffer.from("0\r\n\r\n")]));
        if (!more) return; // resumes on 'drain', which comes only if the server reads
      }
    };
    s.on("error", () => {});
    s.on("drain", pump);
    s.once("connect", () => {
      s.pause(); // never read the answer
      s.write("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
      pump();
      resolve(s);
    });
    s.once("error", reject);
  });
}
