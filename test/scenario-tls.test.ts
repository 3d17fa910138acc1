// A scenario's TLS and HTTP/2 fields (issue 24): what goes together is checked when the file is
// read; a run whose generator or target cannot speak the protocol is refused, never run as plain
// HTTP/1.1; the runner's start passes the certificate flags and verifies the answers over TLS.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BadInputError } from "../src/errors.js";
import { GENERATOR_PROTOCOLS } from "../src/model/index.js";
import { loadSettingsFor } from "../src/run/load-spec.js";
import { refusal } from "../src/run/runner.js";
import { startAndVerify } from "../src/run/start-verify.js";
import { parseScenario } from "../src/scenario/load.js";
import { findTarget } from "../src/targets/registry.js";
import { makeRunCerts, opensslUnavailableReason, type TlsFiles } from "../src/tls/certs.js";
import { runCertificates } from "../src/tls/run-certs.js";

const base = { name: "t", targets: ["nethttp"], durationS: 1 };
const parse = (extra: object) => parseScenario({ ...base, ...extra }, "/tmp/t.json");

describe("scenario protocol fields", () => {
  it("defaults to plain HTTP/1.1, recorded without a protocol", () => {
    const s = parse({});
    expect(s.load).toMatchObject({ tls: false, h2: false, streams: 1 });
    expect(loadSettingsFor(s, s.targets[0]!.variants[0]!).protocol).toBeUndefined();
  });

  it("records early data with resumption, and gives the generator both", () => {
    const s = parse({ load: { tls: true, tlsResume: true, tlsEarlyData: true } });
    expect(loadSettingsFor(s, s.targets[0]!.variants[0]!)).toMatchObject({ protocol: "h1-tls", tlsResume: true, tlsEarlyData: true });
    expect(parse({ load: { tls: true } }).load.tlsEarlyData).toBe(false);
  });

  it("records h2 over TLS with its streams", () => {
    const s = parse({ load: { tls: true, h2: true, streams: 100 } });
    expect(loadSettingsFor(s, s.targets[0]!.variants[0]!)).toMatchObject({ protocol: "h2-tls", streams: 100 });
  });

  it.each([
    [{ load: { streams: 10 } }, /streams 10 needs h2: true/],
    [{ mode: "echo", load: { tls: true } }, /echo mode is raw TCP/],
    [{ load: { h2: true }, sweep: { slo: ["p99<=10ms"], connections: [16] } }, /sweep and scaling load over plain HTTP\/1.1/],
    [{ certificate: { cert: "a.pem" } }, /cert and key go together/],
    [{ load: { tls: true, tlsEarlyData: true } }, /tlsEarlyData needs tls: true and tlsResume: true/],
    [{ load: { tls: true, tlsResume: true, tlsEarlyData: true, h2: true } }, /tlsEarlyData with h2/],
  ])("refuses %j", (extra, msg) => {
    expect(() => parse(extra)).toThrow(BadInputError);
    try {
      parse(extra);
    } catch (e) {
      expect((e as Error).message).toMatch(msg);
    }
  });

  it("a run over a protocol the target or the generator does not speak is refused, never run plain", () => {
    const s = parseScenario({ ...base, targets: ["gnet", "nethttp"], load: { tls: true, h2: true, streams: 10 } }, "/tmp/t.json");
    const [gnet, nethttp] = s.targets;
    const g = refusal(s, gnet!, gnet!.variants[0]!, 0, null);
    expect(g?.status === "failed" && g.failure).toMatch(/gnet does not speak h2-tls/);
    const n = refusal(s, nethttp!, nethttp!.variants[0]!, 0, null);
    if (GENERATOR_PROTOCOLS.native.includes("h2-tls")) expect(n).toBeNull();
    else expect(n?.status === "failed" && n.failure).toMatch(/generator native does not send h2-tls yet/);
  });
});

const noOpenssl = await opensslUnavailableReason();
describe.skipIf(noOpenssl !== null)("the runner's start over TLS", () => {
  let certs: TlsFiles;
  beforeAll(async () => {
    certs = await makeRunCerts();
  });
  afterAll(() => certs?.remove());

  it("makes a certificate only when a run speaks TLS, and the user's own when named", async () => {
    expect((await runCertificates(parse({}))).files).toBeNull();
    const made = await runCertificates(parse({ load: { tls: true } }));
    expect(made.files?.keyType).toBe("ec-p256");
    made.files?.remove();
    const own = await runCertificates(
      parseScenario({ ...base, load: { tls: true }, certificate: { cert: certs.cert, key: certs.key } }, "/tmp/t.json"),
    );
    expect(own.files).toMatchObject({ cert: certs.cert, key: certs.key, ca: null, keyType: "user" });
    const missing = await runCertificates(
      parseScenario({ ...base, load: { tls: true }, certificate: { cert: "/nope.pem", key: "/nope.key" } }, "/tmp/t.json"),
    );
    expect(missing.why).toMatch(/--cert \/nope.pem: cannot read/);
  });

  const def = findTarget("nethttp")!;
  it.skipIf(def.unavailableReason() !== null).each(["h1-tls", "h2-tls", "h2c"] as const)(
    "nethttp starts with the protocol's flags and is verified over %s",
    async (protocol) => {
      const started = await startAndVerify({
        def,
        host: "127.0.0.1",
        threads: 1,
        mode: "http",
        env: {},
        args: [],
        cpus: null,
        request: { method: "GET", path: "/plaintext", bodyBytes: 0 },
        windowS: 1,
        protocol,
        tls: certs,
      });
      expect("failure" in started ? started.failure : "").toBe("");
      if (!("failure" in started)) {
        expect((await started.target.stats()).extra.tls).toBe(protocol !== "h2c");
        await started.target.stop();
      }
    },
  );

  it("a certificate from another CA fails verification: the run is refused, not measured", async () => {
    const other = await makeRunCerts();
    try {
      const started = await startAndVerify({
        def,
        host: "127.0.0.1",
        threads: 1,
        mode: "http",
        env: {},
        args: [],
        cpus: null,
        request: { method: "GET", path: "/plaintext", bodyBytes: 0 },
        windowS: 1,
        protocol: "h1-tls",
        tls: { ...certs, ca: other.ca },
      });
      expect("failure" in started && started.failure).toMatch(/verification: .*(certificate|signed)/i);
    } finally {
      other.remove();
    }
  });
});
