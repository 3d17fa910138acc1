// A build whose native generator lacks OpenSSL or nghttp2 refuses TLS and HTTP/2 runs before they
// start, naming the missing library, never running them as plain HTTP/1.1 (issue 24). The addon's
// status calls are replaced here: this machine's build has both libraries.
import { describe, expect, it, vi } from "vitest";

const missing = vi.hoisted(() => ({ tls: null as string | null, h2: null as string | null }));
vi.mock("../src/load/native-addon.js", async (original) => ({
  ...(await original<typeof import("../src/load/native-addon.js")>()),
  tlsUnavailable: () => missing.tls,
  h2Unavailable: () => missing.h2,
}));

const { refusal } = await import("../src/run/runner.js");
const { parseScenario } = await import("../src/scenario/load.js");

function refusedWhy(load: object): string | null {
  const s = parseScenario({ name: "t", targets: ["nethttp"], durationS: 1, load }, "/tmp/t.json");
  const run = refusal(s, s.targets[0]!, s.targets[0]!.variants[0]!, 0, null);
  return run?.status === "failed" ? run.failure : null;
}

describe("runs over a protocol this build's native generator cannot send", () => {
  it("refuses https without OpenSSL and h2 without nghttp2, naming which", () => {
    missing.tls = "unavailable: built without OpenSSL";
    missing.h2 = null;
    expect(refusedWhy({ tls: true })).toMatch(/cannot send h1-tls in this build: https unavailable: built without OpenSSL/);
    expect(refusedWhy({ h2: true })).toBeNull();
    missing.tls = null;
    missing.h2 = "unavailable: built without nghttp2";
    expect(refusedWhy({ h2: true })).toMatch(/cannot send h2c in this build: HTTP\/2 unavailable: built without nghttp2/);
    expect(refusedWhy({ tls: true, h2: true })).toMatch(/cannot send h2-tls/);
    expect(refusedWhy({ tls: true })).toBeNull();
  });

  it("runs plain HTTP/1.1 whatever the libraries", () => {
    missing.tls = "x";
    missing.h2 = "y";
    expect(refusedWhy({})).toBeNull();
  });
});
