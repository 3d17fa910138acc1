// Hostile clients against every registered target that is built here (issue 13): half-close
// after one request, resets mid-request and mid-response, 1-byte writes, and running out of
// descriptors (EMFILE). After each case the target must still answer GET /plaintext, and its
// descriptors and memory must come back to their baseline. Real processes on loopback.
// Timeouts (slowloris), 10,000 idle connections and the unread chunked echo are native-only
// cases: test/hostile-native.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { nativeServerBackendUnavailable } from "../src/load/backend.js";
import { startTarget, type RunningTarget } from "../src/targets/process.js";
import { TARGETS, type TargetDef } from "../src/targets/registry.js";
import {
  closeAll,
  closeWaitCount,
  eventually,
  fdCount,
  halfClose,
  HOST,
  lowerFdLimit,
  oneByteWrites,
  openMany,
  resetAfter,
  rssBytes,
  servesAgain,
  sleep,
} from "./helpers/hostile.js";

const MiB = 1 << 20;
// How far above its baseline RSS may stay after a case. Garbage-collected heaps keep much of what
// a burst allocated (Go returns it over minutes, V8 keeps its grown old space), so for them this
// is a leak bound, not a return to the baseline; the C and C++ servers must come back close.
const RSS_SLACK: Record<TargetDef["language"], number> = { c: 16 * MiB, "c++": 16 * MiB, go: 64 * MiB, node: 96 * MiB };
// A restarted gnet/evio engine, Go's netpoller and Node's libuv may hold a few descriptors more.
const FD_SLACK = 4;

// c-floor (the handbook's minimal responder, not this suite's to change) answers GET /plaintext
// only, so the cases needing more of the contract skip it.
const reasonSkipped = (def: TargetDef, needsContract: boolean): string | null =>
  needsContract && def.answers !== "contract" ? `answers ${def.answers.join(", ")} only` : null;

for (const def of TARGETS) {
  const why = def.unavailableReason();
  describe.skipIf(why !== null)(`hostile clients: ${def.name}${why ? ` (skipped: ${why})` : ""}`, () => {
    hostile(def);
  });
}

// The native server's io_uring loops (issue 17) withstand the same clients.
{
  const def = TARGETS.find((d) => d.name === "native")!;
  const why = def.unavailableReason() ?? nativeServerBackendUnavailable("io_uring");
  describe.skipIf(why !== null)(`hostile clients: native --backend io_uring${why ? ` (skipped: ${why})` : ""}`, () => {
    hostile(def, ["--backend", "io_uring"]);
  });
}

function hostile(def: TargetDef, args: string[] = []) {
  let t: RunningTarget;
  let fd0 = 0;
  let rss0 = 0;

  beforeAll(async () => {
    t = await startTarget(def, { host: HOST, port: 0, threads: 1, mode: "http", env: {}, args, cpus: null, readyTimeoutMs: 15_000 });
    // A first request warms the target's lazy parts (buffers, goroutines) into the baseline.
    expect((await servesAgain(t.port)) || t.stderrTail()).toBe(true);
    await sleep(200);
    fd0 = fdCount(t.pid);
    rss0 = rssBytes(t.pid);
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** The checks after every case: alive, serving, descriptors and memory back near the baseline. */
  async function expectRecovered(what: string) {
    expect(t.hasExited(), `${def.name} exited after ${what}: ${t.stderrTail()}`).toBe(false);
    expect(await servesAgain(t.port), `${def.name} serves GET /plaintext after ${what}`).toBe(true);
    const fdsBack = await eventually(() => fdCount(t.pid) <= fd0 + FD_SLACK, 5000);
    expect(fdsBack, `${def.name} descriptors after ${what}: ${fdCount(t.pid)}, baseline ${fd0}`).toBe(true);
    const rss = rssBytes(t.pid);
    console.log(
      `${def.name} after ${what}: ${fdCount(t.pid)} fds (baseline ${fd0}), RSS ${(rss / MiB).toFixed(1)} MiB (baseline ${(rss0 / MiB).toFixed(1)})`,
    );
    expect(rss, `${def.name} RSS after ${what}`).toBeLessThan(rss0 + RSS_SLACK[def.language]);
  }

  it("half-close after one request: answered, then closed (no CLOSE-WAIT after 2 s)", async () => {
    const results: boolean[] = [];
    for (let i = 0; i < 200; i += 50) results.push(...(await Promise.all(Array.from({ length: 50 }, () => halfClose(t.port)))));
    await sleep(2000);
    expect(closeWaitCount(t.port), `${def.name} connections in CLOSE-WAIT`).toBe(0);
    expect(results.filter(Boolean).length, "answered, then closed by the server").toBe(200);
    await expectRecovered("200 half-closes");
  });

  it("resets mid-request and mid-response", async () => {
    const partialHead = "GET /plaintext HTTP/1.1\r\nHost: x\r\nX-Part";
    const manyAnswers = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n".repeat(2000); // ~260 KB of answers unread
    for (let i = 0; i < 50; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, k) => resetAfter(t.port, k % 2 ? partialHead : manyAnswers, 20)));
    }
    if (reasonSkipped(def, true) === null) {
      // A 1 MiB echo: the reset lands while the body is still arriving or its answer going out.
      const big = Buffer.concat([Buffer.from(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${MiB}\r\n\r\n`), Buffer.alloc(MiB, 97)]);
      await Promise.all(Array.from({ length: 10 }, (_, k) => resetAfter(t.port, big, 5 + 10 * k)));
    }
    await expectRecovered("resets");
  });

  it("1-byte writes: a GET and a POST /echo written a byte at a time are answered", async (ctx) => {
    const get = await oneByteWrites(t.port, "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n", (g) => g.endsWith("Hello, World!"));
    expect(get.startsWith("HTTP/1.1 200 OK")).toBe(true);
    const skip = reasonSkipped(def, true);
    if (skip) {
      console.log(`${def.name}: the 1-byte GET was answered; POST /echo skipped: ${skip}`);
      return ctx.skip();
    }
    const body = "0123456789abcdef".repeat(8);
    const post = await oneByteWrites(t.port, `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`, (g) =>
      g.endsWith(body),
    );
    expect(post.startsWith("HTTP/1.1 200 OK")).toBe(true);
    await expectRecovered("1-byte writes");
  });

  // Last: the lowered limit stays with the process.
  it("EMFILE: at 512 descriptors, 1,000 connections are shed, the target lives and serves again", async () => {
    expect(lowerFdLimit(t.pid, 512), "prlimit --pid (util-linux) lowers the target's limit").toBe(true);
    const { sockets, failed } = await openMany(t.port, 1000);
    await sleep(1000);
    expect(t.hasExited(), `${def.name} exited at the descriptor limit: ${t.stderrTail()}`).toBe(false);
    const stats = await t.stats();
    console.log(
      `${def.name} at 512 descriptors: ${sockets.length} connected, ${failed} refused; shed/restarts:`,
      JSON.stringify({ errEmfile: stats.extra?.["errEmfile"], engineRestarts: stats.extra?.["engineRestarts"] }),
    );
    await closeAll(sockets);
    await expectRecovered("1,000 connections at a 512-descriptor limit");
  });
}
