// The Prometheus text-format and expvar readers against the real client library's output
// (the example serves client_golang's default registry) and the text format's own edge cases.
import { spawn } from "node:child_process";

import { beforeAll, describe, expect, it } from "vitest";

import { expvarFigures } from "../src/runtime/expvar.js";
import { httpGet } from "../src/runtime/http-get.js";
import { parsePrometheusText } from "../src/runtime/prometheus.js";
import { scrapeRuntime } from "../src/runtime/scrape.js";
import { freePort } from "../src/targets/user-process.js";
import { buildExample, tempDir } from "./helpers/user-example.js";

let bin = "";
beforeAll(() => {
  bin = buildExample(tempDir("prom"));
}, 240_000);

describe("prometheus text format", () => {
  it("keeps series by name and labels; comments, timestamps, NaN and +Inf as the format writes them", () => {
    const s = parsePrometheusText(
      [
        "# HELP x_total A counter.",
        "# TYPE x_total counter",
        "x_total 3 1700000000000",
        'h_bucket{le="+Inf"} 12',
        'q{quantile="0.5"} NaN',
        "bad line here",
        "g -1.5e-3",
        "",
      ].join("\n"),
    );
    expect(s.get("x_total")).toBe(3);
    expect(s.get('h_bucket{le="+Inf"}')).toBe(12);
    expect(Number.isNaN(s.get('q{quantile="0.5"}'))).toBe(true);
    expect(s.get("g")).toBe(-0.0015);
    expect(s.size).toBe(4);
  });

  it("reads client_golang's Go collector from the example, and expvar's memstats beside it, in agreement", async () => {
    const port = await freePort("127.0.0.1");
    const child = spawn(bin, ["--addr", `127.0.0.1:${port}`], { stdio: ["ignore", "ignore", "pipe"] });
    try {
      await new Promise<void>((r) => child.stderr!.once("data", () => r()));
      for (let i = 0; i < 300; i++) await httpGet("127.0.0.1", port, "/api/items", 2000);
      const p = await scrapeRuntime("127.0.0.1", port, { prometheus: "/metrics", expvar: null });
      const e = await scrapeRuntime("127.0.0.1", port, { prometheus: null, expvar: "/debug/vars" });
      if (!("figures" in p) || !("figures" in e)) throw new Error(JSON.stringify({ p, e }));
      expect(p.source).toBe("prometheus /metrics");
      expect(e.source).toBe("expvar /debug/vars");
      expect(p.figures.allocBytes).toBeGreaterThan(300 * 500);
      expect(p.figures.processCpuS).toBeGreaterThan(0);
      // Read one after the other: expvar's later total is at least /metrics' (a counter).
      expect(e.figures.allocBytes!).toBeGreaterThanOrEqual(p.figures.allocBytes!);
      expect(e.figures.allocBytes! / p.figures.allocBytes!).toBeLessThan(1.5);
      const missing = await scrapeRuntime("127.0.0.1", port, { prometheus: "/nope", expvar: "/api/items" });
      expect(missing).toEqual({ missing: "GET /nope answered 404; GET /api/items has no memstats" });
    } finally {
      child.kill("SIGKILL");
    }
  }, 120_000);

  it("expvar without memstats is not a source", () => {
    expect(expvarFigures({ cmdline: ["x"] })).toBeNull();
  });
});
