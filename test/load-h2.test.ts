// The native generator over HTTP/2 (issue 24): h2c with prior knowledge and h2 over TLS (ALPN),
// 1 and 10 streams per connection, against Node's own http2 server: every answer counted, and
// the server's count agrees with the generator's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createLoadGen,
  h2Unavailable,
  loadAddon,
  tlsUnavailable,
  type NativeLoadResult,
  type NativeSpecExtras,
} from "../src/load/native-addon.js";
import type { LoadSpec } from "../src/load/types.js";
import { runCli } from "./helpers/cli.js";
import { testSpec } from "./helpers/load-spec.js";
import { makeTestCert, startH2Server, startHttpsServer, type TestCert } from "./helpers/tls-fixture.js";

const h2Why = h2Unavailable() ?? tlsUnavailable();
let cert: TestCert;
beforeAll(async () => {
  if (h2Why === null) cert = await makeTestCert();
});
afterAll(() => cert?.remove());

let backend: "epoll" | "io_uring" = "epoll";
async function run(port: number, over: Partial<LoadSpec> & NativeSpecExtras): Promise<NativeLoadResult> {
  const r = await createLoadGen({ ...testSpec(port, { warmupS: 0, durationS: 10 }), backend, ...over }).run();
  expect(r.backend).toBe(backend);
  return r;
}

const lost = (r: NativeLoadResult) =>
  r.errors.connect + r.errors.reset + r.errors.timeout + r.errors.badResponse + r.errors.tls + r.errors.goaway + r.errors.rstStream;

const uringWhy = loadAddon().loadBackendUnavailable("io_uring");
describe.each([
  ["epoll", h2Why],
  ["io_uring", h2Why ?? uringWhy],
] as const)("native generator over HTTP/2, %s backend", (name, why) => {
  beforeAll(() => {
    backend = name;
  });
  if (why !== null) {
    it.skip(`skipped: ${why}`, () => {});
    return;
  }

  it.each([1, 10])("h2c with prior knowledge, %i stream(s) per connection: every answer counted", async (streams) => {
    const server = await startH2Server(null);
    try {
      const r = await run(server.port, { h2: { streams }, requests: 3000 });
      expect(r.completedTotal).toBe(3000);
      expect(server.requests()).toBe(3000);
      expect(lost(r)).toBe(0);
      expect(r.statusCodes?.["200"]).toBe(r.requests);
    } finally {
      await server.close();
    }
  });

  it.each([1, 10])("h2 over TLS (ALPN h2), %i stream(s) per connection: every answer counted", async (streams) => {
    const server = await startH2Server(cert);
    try {
      const r = await run(server.port, {
        h2: { streams },
        requests: 3000,
        tls: { caFile: cert.caFile, insecure: false, alpn: "h2", resume: false },
      });
      expect(r.completedTotal).toBe(3000);
      expect(server.requests()).toBe(3000);
      expect(lost(r)).toBe(0);
      expect(r.tls?.alpn).toBe("h2");
    } finally {
      await server.close();
    }
  });

  it("a TLS server without h2 fails the handshake (tls: alert or alpn), nothing answered", async () => {
    const server = await startHttpsServer(cert);
    try {
      const r = await run(server.port, { h2: { streams: 4 }, durationS: 0.5, tls: { insecure: true, alpn: "h2", resume: false } });
      expect(r.requests).toBe(0);
      expect(server.requests()).toBe(0);
      expect(r.errors.tls).toBeGreaterThan(0);
      // Node's server refuses the handshake itself (alert no_application_protocol); a server that
      // completes it without choosing h2 is an alpn failure.
      // tls.errors counts the whole run (as connect errors do), errors.tls the window only.
      expect(r.tls!.errors.alpn + r.tls!.errors.alert).toBeGreaterThanOrEqual(r.errors.tls);
      expect(r.tls!.errors.handshake + r.tls!.errors.certificate + r.tls!.errors.timeout).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("counts the streams the server resets as rstStream, each once, and goes on", async () => {
    const server = await startH2Server(null, (n) => (n % 10 === 0 ? "reset" : "answer"));
    try {
      const r = await run(server.port, { h2: { streams: 10 }, requests: 2000 });
      expect(r.completedTotal).toBe(2000); // the budget gives a reset stream's place back
      expect(server.requests()).toBe(2000);
      expect(r.errors.rstStream).toBeGreaterThan(100);
      expect(r.failed).toBe(r.errors.rstStream);
      expect(r.sent).toBe(r.completedTotal + r.failed + r.unfinished);
    } finally {
      await server.close();
    }
  });

  it("after a GOAWAY, reconnects: every answer counted, no request lost", async () => {
    const server = await startH2Server(null, (n) => (n % 100 === 0 ? "goaway" : "answer"));
    try {
      const r = await run(server.port, { h2: { streams: 1 }, requests: 1000, connections: 2 });
      expect(r.completedTotal).toBe(1000);
      expect(server.requests()).toBe(1000);
      expect(r.connect!.opened).toBeGreaterThan(2); // the connections were opened again
      expect(r.errors.goaway).toBe(r.failed); // each stream it refused, once; the GOAWAY itself is no error
      expect(r.sent).toBe(r.completedTotal + r.failed + r.unfinished);
    } finally {
      await server.close();
    }
  });

  it("open loop over h2c: the rate is kept and latency is timed from the intended send", async () => {
    const server = await startH2Server(null);
    try {
      const r = await run(server.port, { h2: { streams: 10 }, rate: 2000, durationS: 1, connections: 2 });
      expect(r.requests).toBeGreaterThan(1500);
      expect(r.requests).toBeLessThan(2500);
      expect(lost(r)).toBe(0);
      expect(r.completedTotal).toBe(server.requests());
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(h2Why !== null)("load --h2 from the command line", () => {
  it("measures h2c with 10 streams; --json says the protocol, and the server counted every answer", async () => {
    const server = await startH2Server(null);
    try {
      const r = await runCli([
        "load",
        `http://127.0.0.1:${server.port}/`,
        "--h2",
        "--streams",
        "10",
        "-n",
        "2000",
        "-c",
        "2",
        "--json",
        "-q",
      ]).done;
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(s.settings.protocol).toBe("h2c");
      expect(s.settings.streams).toBe(10);
      expect(s.requests).toBe(2000);
      expect(s.accounting.answered).toBe(server.requests());
    } finally {
      await server.close();
    }
  });

  it("measures h2 over TLS: ALPN h2 negotiated", async () => {
    const server = await startH2Server(cert);
    try {
      const args = [
        "load",
        `https://127.0.0.1:${server.port}/`,
        "--h2",
        "--streams",
        "4",
        "-n",
        "500",
        "--ca",
        cert.caFile,
        "--json",
        "-q",
      ];
      const r = await runCli(args).done;
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(s.settings.protocol).toBe("h2");
      expect(s.tls.alpn).toBe("h2");
      expect(s.requests).toBe(500);
    } finally {
      await server.close();
    }
  });

  it("--check status,length over h2c and h2: the expected answer fetched over HTTP/2, every answer matches", async () => {
    for (const tls of [false, true]) {
      const server = await startH2Server(tls ? cert : null);
      try {
        const url = `${tls ? "https" : "http"}://127.0.0.1:${server.port}/`;
        const args = ["load", url, "--h2", "--streams", "4", "-n", "300", "--check", "status,length", "--json", "-q"];
        const r = await runCli(tls ? [...args, "--ca", cert.caFile] : args).done;
        expect(r.code, r.stderr).toBe(0);
        const s = JSON.parse(r.stdout);
        expect(s.check.expected.status).toBe(200);
        expect(s.check.expected.length).toBe("Hello, World!".length);
        expect(s.check.mismatched).toBe(0);
        expect(s.requests).toBe(300);
      } finally {
        await server.close();
      }
    }
  });

  it.each([
    [["--streams", "10"], /--streams is HTTP\/2's/],
    [["--h2-window", "1000000"], /--h2-window is HTTP\/2's/],
    [["--h2", "--generator", "wrk"], /--h2 needs the native generator/],
    [["--h2", "--pipeline", "2"], /use --streams/],
    [["--h2", "--no-keepalive"], /--no-keepalive/],
    [["--h2", "--body", "x"], /request body/],
    [["--h2", "--h2-window", "1000"], /below HTTP\/2's least window/],
  ])("refuses %j with exit 2 before anything runs", async (args, message) => {
    const r = await runCli(["load", "http://127.0.0.1:1/", ...(args as string[]), "-d", "1"]).done;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
