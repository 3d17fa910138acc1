// A small load against a local test server, for the generator tests; each test overrides what it measures.
import type { LoadSpec } from "../../src/load/types.js";

export function testSpec(port: number, over: Partial<LoadSpec> = {}): LoadSpec {
  return {
    host: "127.0.0.1",
    port,
    connections: 4,
    threads: 1,
    pipeline: 1,
    rate: null,
    keepAlive: true,
    fastOpen: false,
    method: "GET",
    path: "/plaintext",
    headers: {},
    bodyBytes: 0,
    echo: false,
    warmupS: 0.2,
    durationS: 1,
    timeoutMs: 2000,
    cpus: null,
    ...over,
  };
}
