// Request accounting of the native load generator (issue 12): every request sent is answered,
// failed in flight, or unfinished at the end, and the answers are exactly what the server
// counted. Against the real native server (in-process, its own threads) and the C fixture.
import { createRequire } from "node:module";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { addonPath, createLoadGen, loadAddon, type NativeLoadResult, type NativeSpecExtras } from "../src/load/native-addon.js";
import type { LoadSpec } from "../src/load/types.js";
import { fixtureBinary, startFixture, type Fixture } from "./fixtures/http-fixture.js";
import { testSpec } from "./helpers/load-spec.js";

interface NativeServer {
  listen(): number;
  stats(): { requests: number; connectionsOpen: number };
  close(): void;
}
type ServerCtor = new (options: Record<string, unknown>) => NativeServer;

let server: NativeServer | null = null;
let fixture: Fixture | null = null;
afterEach(async () => {
  server?.close();
  server = null;
  await fixture?.stop();
  fixture = null;
});

beforeAll(() => fixtureBinary());

function nativeServer(): { port: number; requests: () => number; open: () => number } {
  const Server = (createRequire(import.meta.url)(addonPath()) as { Server: ServerCtor }).Server;
  server = new Server({ port: 0, threads: 1, mode: "http" });
  const port = server.listen();
  const s = server;
  return { port, requests: () => s.stats().requests, open: () => s.stats().connectionsOpen };
}

let backend: "epoll" | "io_uring" = "epoll";
function run(port: number, over: Partial<LoadSpec> & NativeSpecExtras): Promise<NativeLoadResult> {
  return createLoadGen({ ...testSpec(port, { warmupS: 0, durationS: 0.6, ...over }), backend })
    .run()
    .then((r) => {
      expect(r.backend).toBe(backend);
      return r;
    });
}

function expectBalanced(r: NativeLoadResult): void {
  expect(r.sent).toBeGreaterThan(0);
  expect(r.completedTotal + r.failed + r.unfinished).toBe(r.sent);
}

const transport = (r: NativeLoadResult) => r.errors.connect + r.errors.reset + r.errors.timeout + r.errors.badResponse;

// io_uring runs where this build and this kernel allow it (CI installs liburing-dev); where it
// cannot, the backend says why, and that is shown as the skip reason.
const uringWhy = loadAddon().loadBackendUnavailable("io_uring");
describe.each([
  ["epoll", null],
  ["io_uring", uringWhy],
] as const)("native generator request accounting (%s)", (name, why) => {
  beforeAll(() => {
    backend = name;
  });
  if (why !== null) {
    it.skip(`io_uring unavailable: ${why}`, () => {});
    return;
  }

  it.each([
    ["plain", {}],
    ["pipelined 16 deep", { pipeline: 16 }],
    ["two threads, pipelined 16 deep", { pipeline: 16, threads: 2 }],
    ["keep-alive off", { keepAlive: false }],
    ["keep-alive off, TCP Fast Open", { keepAlive: false, fastOpen: true }],
  ] as [string, Partial<LoadSpec>][])(
    "sent = answered, and answered = the server's count (%s)",
    async (_n, over) => {
      const srv = nativeServer();
      const before = srv.requests();
      const r = await run(srv.port, over);
      expectBalanced(r);
      expect(r.failed).toBe(0);
      expect(r.unfinished).toBe(0);
      expect(transport(r)).toBe(0);
      expect(srv.requests() - before).toBe(r.completedTotal);
      // No connection outlives the run (io_uring: cancelled requests hold their sockets until
      // the ring is entered again or torn down).
      for (let i = 0; i < 100 && srv.open() > 0; i++) await new Promise((res) => setTimeout(res, 10));
      expect(srv.open()).toBe(0);
    },
    20_000,
  );

  it.each([
    ["plain", 1],
    ["pipelined 16 deep", 16],
  ])(
    "counts requests lost behind a Connection: close answer (%s)",
    async (_n, pipeline) => {
      const srv = nativeServer();
      const before = srv.requests();
      const r = await run(srv.port, { pipeline, headers: { Connection: "close" } });
      const answered = srv.requests() - before;
      expectBalanced(r);
      expect(r.completedTotal).toBeGreaterThan(10);
      expect(answered).toBe(r.completedTotal);
      if (pipeline === 1) {
        expect(r.failed).toBe(0);
      } else {
        // The server answers the first request of each batch and closes: the rest are lost.
        expect(r.failed).toBeGreaterThan(r.completedTotal);
        expect(r.errors.reset).toBeGreaterThan(0);
        expect(r.errors.reset).toBeLessThanOrEqual(r.failed);
      }
    },
    20_000,
  );

  it("counts every request pipelined behind a timed-out one as a timeout", async () => {
    fixture = await startFixture(["--behavior", "silent"]);
    const r = await run(fixture.port, { pipeline: 16, durationS: 0.7, timeoutMs: 200 });
    expectBalanced(r);
    expect(r.completedTotal).toBe(0);
    expect(r.errors.timeout).toBeGreaterThanOrEqual(16 * 4);
    expect(r.errors.timeout % 16).toBe(0); // whole batches of 16, one count each
    expect(r.failed).toBeGreaterThanOrEqual(r.errors.timeout);
  }, 20_000);

  it("counts requests still in flight at the end as unfinished", async () => {
    // Answers come 1.6 s after each request; the window is 0.3 s and the drain 1 s.
    fixture = await startFixture(["--delay-us", "1600000"]);
    const r = await run(fixture.port, { pipeline: 4, durationS: 0.3, timeoutMs: 5000 });
    expectBalanced(r);
    expect(r.completedTotal).toBe(0);
    expect(r.failed).toBe(0);
    expect(r.unfinished).toBe(16);
  }, 20_000);

  it("counts echo round trips exactly in raw TCP mode", async () => {
    fixture = await startFixture(["--behavior", "echo"]);
    const r = await run(fixture.port, { echo: true, bodyBytes: 64, pipeline: 4 });
    const s = await fixture.stats();
    expectBalanced(r);
    expect(r.completedTotal).toBeGreaterThan(100);
    expect(s.echoedBytes).toBe(r.completedTotal * 64);
  }, 20_000);

  it("runs with SQPOLL when asked, and says so", async (ctx) => {
    if (name !== "io_uring") ctx.skip("SQPOLL is io_uring's");
    const why = loadAddon().loadBackendUnavailable("io_uring", true);
    if (why !== null) ctx.skip(why);
    const srv = nativeServer();
    const before = srv.requests();
    const r = await run(srv.port, { pipeline: 4, sqpoll: true });
    expectBalanced(r);
    expect(r.sqpoll).toBe(true);
    expect(srv.requests() - before).toBe(r.completedTotal);
  }, 20_000);

  it("stops after exactly the request budget", async () => {
    const srv = nativeServer();
    const before = srv.requests();
    const r = await run(srv.port, { pipeline: 8, threads: 2, durationS: 10, requests: 5000 });
    expectBalanced(r);
    expect(r.completedTotal).toBe(5000);
    expect(r.sent).toBe(5000);
    expect(srv.requests() - before).toBe(5000);
    expect(r.durationS).toBeLessThan(9);
  }, 20_000);
});
