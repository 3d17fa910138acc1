// The native generator over TLS (issue 24): https against Node's own https server, with a
// certificate made for the test. Answers match the server's count, handshakes are counted and
// timed apart from requests, certificate checks are on by default, and a plain server given
// https fails with tls errors, promptly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createLoadGen, loadAddon, tlsUnavailable, type NativeLoadResult, type NativeSpecExtras } from "../src/load/native-addon.js";
import type { LoadSpec, TlsSpec } from "../src/load/types.js";
import { runCli } from "./helpers/cli.js";
import { startHttpFixture } from "./helpers/http-fixture.js";
import { testSpec } from "./helpers/load-spec.js";
import { makeTestCert, startHttpsServer, type TestCert } from "./helpers/tls-fixture.js";

const tlsWhy = tlsUnavailable();
let cert: TestCert;
beforeAll(async () => {
  if (tlsWhy === null) cert = await makeTestCert();
});
afterAll(() => cert?.remove());

const sum = (counts: Float64Array) => counts.reduce((a, b) => a + b, 0);

let backend: "epoll" | "io_uring" = "epoll";
async function run(port: number, tls: Partial<TlsSpec>, over: Partial<LoadSpec> & NativeSpecExtras = {}): Promise<NativeLoadResult> {
  const spec = {
    ...testSpec(port, { warmupS: 0, durationS: 0.8, ...over }),
    backend,
    tls: { insecure: false, alpn: "http/1.1", resume: false, ...tls } as TlsSpec,
  };
  const r = await createLoadGen(spec).run();
  expect(r.backend).toBe(backend);
  return r;
}

// io_uring where this build and kernel allow it; where not, the reason is the skip's name.
const uringWhy = loadAddon().loadBackendUnavailable("io_uring");
describe.each([
  ["epoll", tlsWhy],
  ["io_uring", tlsWhy ?? uringWhy],
] as const)("native generator over TLS, %s backend", (name, why) => {
  beforeAll(() => {
    backend = name;
  });
  if (why !== null) {
    it.skip(`skipped: ${why}`, () => {});
    return;
  }

  it("answers every request over https at keep-alive, and times the handshakes apart", async () => {
    const server = await startHttpsServer(cert);
    try {
      const r = await run(server.port, { caFile: cert.caFile }, { requests: 2000, durationS: 10 });
      expect(r.completedTotal).toBe(2000);
      expect(r.completedTotal).toBe(server.requests());
      expect(r.errors.tls).toBe(0);
      expect(r.tls?.handshakes).toBe(4); // one per connection, kept alive
      expect(sum(r.tls!.latency.counts)).toBe(4);
      expect(sum(r.connect!.latency.counts)).toBe(4);
      expect(r.tls?.version).toMatch(/^TLSv1\.[23]$/);
      expect(r.tls?.alpn).toBe("http/1.1");
    } finally {
      await server.close();
    }
  });

  it("refuses the self-signed certificate without a CA file, as a tls error of kind certificate", async () => {
    const server = await startHttpsServer(cert);
    try {
      const r = await run(server.port, {}, { durationS: 0.5 });
      expect(r.requests).toBe(0);
      expect(server.requests()).toBe(0);
      expect(r.errors.tls).toBeGreaterThan(0);
      expect(r.tls!.errors.certificate).toBeGreaterThan(0);
      expect(r.tls!.handshakes).toBe(0);
      const insecure = await run(server.port, { insecure: true }, { requests: 100, durationS: 10 });
      expect(insecure.completedTotal).toBe(100);
    } finally {
      await server.close();
    }
  });

  it("counts tls errors, without a hang, against a plain HTTP server", async () => {
    const plain = await startHttpFixture();
    try {
      const t0 = performance.now();
      const r = await run(plain.port, { insecure: true }, { durationS: 0.5, timeoutMs: 1000 });
      expect(performance.now() - t0).toBeLessThan(8000);
      expect(r.requests).toBe(0);
      expect(r.errors.tls).toBeGreaterThan(0);
      expect(r.tls!.errors.handshake).toBeGreaterThan(0);
      expect(r.completedTotal + r.failed + r.unfinished).toBe(r.sent);
    } finally {
      await plain.close();
    }
  });

  it("resumes sessions on reconnect with --tls-resume (keep-alive off: a handshake per request)", async () => {
    const server = await startHttpsServer(cert);
    try {
      const full = await run(server.port, { caFile: cert.caFile }, { keepAlive: false, requests: 200, durationS: 10, connections: 2 });
      expect(full.completedTotal).toBe(200);
      expect(full.tls!.handshakes).toBe(200);
      expect(full.tls!.resumed).toBe(0);
      const before = server.resumed();
      const resumed = await run(
        server.port,
        { caFile: cert.caFile, resume: true },
        { keepAlive: false, requests: 200, durationS: 10, connections: 2 },
      );
      expect(resumed.completedTotal).toBe(200);
      expect(resumed.tls!.handshakes).toBe(200);
      // The first connection of each thread has no ticket yet; every later one offers one.
      expect(resumed.tls!.resumed).toBeGreaterThanOrEqual(190);
      expect(server.resumed() - before).toBe(resumed.tls!.resumed);
    } finally {
      await server.close();
    }
  });

  it("pipelines over TLS: every answer counted, in order", async () => {
    const server = await startHttpsServer(cert);
    try {
      const r = await run(server.port, { insecure: true }, { requests: 3000, durationS: 10, pipeline: 8 });
      expect(r.completedTotal).toBe(3000);
      expect(server.requests()).toBe(3000);
      expect(r.errors.tls + r.errors.badResponse + r.errors.reset).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(tlsWhy !== null)("load https:// from the command line", () => {
  const cli = async (args: string[]) => {
    const r = await runCli(["load", ...args]).done;
    return { ...r, out: r.stdout + r.stderr };
  };

  it("measures https with --ca and records the negotiated protocol in --json", async () => {
    const server = await startHttpsServer(cert);
    try {
      const r = await cli([`https://127.0.0.1:${server.port}/`, "-n", "500", "-c", "2", "--ca", cert.caFile, "--json", "-q"]);
      expect(r.code, r.out).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(s.requests).toBe(500);
      expect(s.errors.tls).toBe(0);
      expect(s.tls.version).toMatch(/^TLSv1\.[23]$/);
      expect(s.tls.alpn).toBe("http/1.1");
      expect(s.tls.handshakes).toBe(2);
      expect(s.tls.latencyUs.p50).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it("--check status,length over https: the expected answer fetched over TLS with the same CA", async () => {
    const server = await startHttpsServer(cert);
    try {
      const r = await cli([
        `https://127.0.0.1:${server.port}/`,
        "-n",
        "200",
        "--ca",
        cert.caFile,
        "--check",
        "status,length",
        "--json",
        "-q",
      ]);
      expect(r.code, r.out).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(s.check.expected.status).toBe(200);
      expect(s.check.mismatched).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("exits 1 with an invalid verdict when the certificate does not verify", async () => {
    const server = await startHttpsServer(cert);
    try {
      const r = await cli([`https://127.0.0.1:${server.port}/`, "-d", "0.5", "--warmup", "0", "-c", "1", "--json", "-q"]);
      expect(r.code, r.out).toBe(1);
      const s = JSON.parse(r.stdout);
      expect(s.verdict.verdict).toBe("invalid");
      expect(s.errors.tls).toBeGreaterThan(0);
      expect(s.tls.errors.certificate).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it("sweep refuses an https URL with exit 2 and names load as the way", async () => {
    const r = await runCli(["sweep", "https://127.0.0.1:1/", "--slo", "p99=10ms"]).done;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/does not speak TLS yet; measure https:\/\/ with `load`/);
  });

  it("list and doctor say the native generator speaks https, and with which OpenSSL", async () => {
    const list = await runCli(["list"]).done;
    expect(list.stdout).toContain(
      `http, https (OpenSSL ${process.versions.openssl} (Node's)), h2c, h2 (nghttp2 ${process.versions.nghttp2} (Node's))`,
    );
    const doctor = await runCli(["doctor"]).done;
    expect(doctor.stdout).toMatch(/native generator TLS \(https\)\s+ok\s+OpenSSL 3\./);
    expect(doctor.stdout).toMatch(/native generator HTTP\/2\s+ok\s+nghttp2 1\./);
    expect(doctor.stdout).toContain(`nghttp2 ${process.versions.nghttp2}`);
  });

  it.each([
    [["http://127.0.0.1:1/", "--insecure"], /need an https:\/\/ URL/],
    [["https://127.0.0.1:1/", "--insecure", "--ca", "/etc/hostname"], /exclude each other/],
    [["https://127.0.0.1:1/", "--ca", "/no/such/file.pem"], /no such file/],
    [["https://127.0.0.1:1/", "--generator", "wrk"], /add --insecure/],
    [["https://127.0.0.1:1/", "--generator", "autocannon", "--insecure"], /autocannon/],
    [["ftp://127.0.0.1:1/"], /only http:\/\/ and https:\/\//],
  ])("refuses %j with exit 2 before anything runs", async (args, message) => {
    const r = await cli([...(args as string[]), "-d", "1"]);
    expect(r.code, r.out).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
