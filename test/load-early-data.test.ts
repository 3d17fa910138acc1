// TLS 1.3 early data from the command line (issue 24): `load --tls-resume --tls-early-data`
// against the native target with --tls-early-data reports accepted early data and every
// request answered; against the native target without it, none accepted and still every
// request answered; --tls-early-data without --tls-resume is bad input.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { tlsUnavailable } from "../src/load/native-addon.js";
import { startTarget, type RunningTarget } from "../src/targets/process.js";
import { findTarget } from "../src/targets/registry.js";
import { runCli } from "./helpers/cli.js";
import { makeTestCert, type TestCert } from "./helpers/tls-fixture.js";

const tlsWhy = tlsUnavailable();
let cert: TestCert;
beforeAll(async () => {
  if (tlsWhy === null) cert = await makeTestCert();
});
afterAll(() => cert?.remove());

async function nativeTarget(earlyData: boolean): Promise<RunningTarget> {
  const args = ["--tls-cert", cert.certFile, "--tls-key", cert.keyFile, ...(earlyData ? ["--tls-early-data"] : [])];
  return startTarget(findTarget("native")!, {
    host: "127.0.0.1",
    port: 0,
    threads: 1,
    mode: "http",
    env: {},
    args,
    cpus: null,
    readyTimeoutMs: 15_000,
  });
}

const REQUESTS = 60;

async function loadJson(port: number, backend: string) {
  const r = await runCli([
    "load",
    `https://127.0.0.1:${port}/plaintext`,
    ...["-n", String(REQUESTS), "-c", "1", "--no-keepalive", "--ca", cert.caFile, "--backend", backend],
    ...["--tls-resume", "--tls-early-data", "--json", "-q"],
  ]).done;
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe.skipIf(tlsWhy !== null).each(["epoll", "io_uring"])("load --tls-early-data, %s backend", (backend) => {
  it("is accepted by the native server with --tls-early-data, every request answered once", async () => {
    const target = await nativeTarget(true);
    try {
      const s = await loadJson(target.port, backend);
      expect(s.requests).toBe(REQUESTS);
      expect(s.errors.tls + s.errors.reset + s.errors.timeout).toBe(0);
      expect(s.tls.earlyDataAsked).toBe(true);
      expect(s.tls.earlyDataAccepted).toBeGreaterThan(REQUESTS / 2);
      expect(s.tls.earlyDataAccepted).toBeLessThanOrEqual(s.tls.earlyDataSent);
      const st = await target.stats();
      expect(st.requests).toBe(REQUESTS);
      expect(st.extra.tlsEarlyData).toBe(s.tls.earlyDataAccepted);
    } finally {
      await target.stop();
    }
  });

  it("is never accepted by the native server without it, and every request is still answered", async () => {
    const target = await nativeTarget(false);
    try {
      const s = await loadJson(target.port, backend);
      expect(s.requests).toBe(REQUESTS);
      expect(s.errors.tls + s.errors.reset + s.errors.timeout).toBe(0);
      expect(s.tls.earlyDataAccepted).toBe(0);
      expect(s.tls.resumed).toBe(REQUESTS - 1);
      const st = await target.stats();
      expect(st.requests).toBe(REQUESTS);
      expect(st.extra.tlsEarlyData).toBe(0);
    } finally {
      await target.stop();
    }
  });
});

describe.skipIf(tlsWhy !== null)("load --tls-early-data, bad input", () => {
  it("without --tls-resume exits 2 with one line", async () => {
    const r = await runCli(["load", "https://127.0.0.1:1/", "--insecure", "--tls-early-data", "-n", "1"]).done;
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--tls-early-data.*--tls-resume/);
  });
});
