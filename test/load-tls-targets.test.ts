// `npm run load -- https://...` (and --h2, --streams) against every registered target over every
// protocol it claims (issue 24's "Done when"): each target started with this run's certificate,
// the native generator checking it against the run's CA, 1 s of load, every request answered, the
// protocol the summary names the one asked, and a verdict that is not invalid.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Protocol } from "../src/model/index.js";
import { nativeH2Support, nativeTlsSupport } from "../src/load/protocols.js";
import { TARGETS } from "../src/targets/registry.js";
import { makeRunCerts, opensslUnavailableReason, type TlsFiles } from "../src/tls/certs.js";
import { runCli } from "./helpers/cli.js";
import { HOST, startOver } from "./helpers/tls-target.js";

const why = (await opensslUnavailableReason()) ?? nativeTlsSupport().unavailable ?? nativeH2Support().unavailable;

/** The load flags for a protocol: the URL's scheme and --h2 with 10 streams where it is HTTP/2. */
function flagsOf(protocol: Protocol, port: number, ca: string): string[] {
  const url = `${protocol === "h2c" ? "http" : "https"}://${HOST}:${port}/plaintext`;
  const tls = protocol === "h2c" ? [] : ["--ca", ca];
  const h2 = protocol === "h2-tls" || protocol === "h2c" ? ["--h2", "--streams", "10"] : [];
  return [url, ...tls, ...h2, "-c", "4", "-d", "1", "--warmup", "0.2", "--json", "-q"];
}

describe.skipIf(why !== null)(`load over TLS and HTTP/2 against the registered targets${why ? ` (skipped: ${why})` : ""}`, () => {
  let certs: TlsFiles;
  beforeAll(async () => {
    certs = await makeRunCerts();
  });
  afterAll(() => certs?.remove());

  for (const def of TARGETS.filter((t) => t.protocols.length > 1 && t.unavailableReason() === null)) {
    for (const protocol of def.protocols.filter((p) => p !== "h1")) {
      it(`${def.name} over ${protocol}`, async () => {
        const t = await startOver(def, protocol, certs);
        try {
          const r = await runCli(["load", ...flagsOf(protocol, t.port, certs.ca!)]).done;
          expect(r.code, r.stderr).not.toBe(2);
          const j = JSON.parse(r.stdout) as {
            requests: number;
            errors: Record<string, number>;
            verdict: { verdict: string; reasons: { code: string }[] };
            tls?: { handshakes: number; alpn: string } | null;
          };
          expect(j.requests, `${def.name} ${protocol}`).toBeGreaterThan(100);
          expect(
            Object.values(j.errors).reduce((a, b) => a + b, 0),
            JSON.stringify(j.errors),
          ).toBe(0);
          // A busy machine may make it noisy or client-bound; never a number that misleads.
          expect(j.verdict.verdict, JSON.stringify(j.verdict.reasons)).not.toBe("invalid");
          if (protocol !== "h2c") {
            expect(j.tls?.handshakes).toBeGreaterThanOrEqual(4);
            // A server without ALPN (HTTP/1.1 only) selects nothing; one that speaks h2 must select it.
            if (protocol === "h2-tls") expect(j.tls?.alpn).toBe("h2");
            else expect([null, "http/1.1"]).toContain(j.tls?.alpn);
          }
        } finally {
          await t.stop();
        }
      }, 30_000);
    }
  }
});
