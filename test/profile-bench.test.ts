// bench --profile on real processes: nethttp and node-http profiled over their windows, the
// profiles parse with our own readers (Go's agrees on the total when Go is on the PATH), the
// report shows their top functions and flame graphs, and compare names the functions that moved.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import { functionShares, topFunctions } from "../src/profile/folded.js";
import { readPprof } from "../src/profile/pprof.js";
import { ProtoError } from "../src/profile/protobuf.js";
import { loadRunProfiles } from "../src/profile/load.js";
import type { RunOk } from "../src/model/index.js";
import { parseResultFile } from "../src/results/upgrade.js";
import { runCli } from "./helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "evbench-profile-"));
const files = [join(dir, "a.json"), join(dir, "b.json")];

async function bench(out: string): Promise<ResultFile> {
  const r = await runCli([
    "bench",
    "seed-table",
    "--targets",
    "nethttp,node-http",
    "--reps",
    "1",
    "--duration",
    "2",
    "--warmup",
    "0.5",
    "--profile",
    "--quiet",
    "--out",
    out,
  ]).done;
  // Exit 1 may be an invalid verdict on a loaded machine (errors under load): the profiles are
  // what is tested here, and a run that measured has them either way.
  if (r.code !== 0 && r.code !== 1) throw new Error(`bench exited ${r.code}: ${r.stderr}`);
  return parseResultFile(JSON.parse(readFileSync(out, "utf8")));
}

function okRun(r: ResultFile, target: string): RunOk {
  const run = r.runs.find((x) => x.target === target);
  expect(run?.status).toBe("ok");
  return run as RunOk;
}

function goAvailable(): boolean {
  try {
    execFileSync("go", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("bench --profile", () => {
  let a: ResultFile;
  let b: ResultFile;
  beforeAll(async () => {
    a = await bench(files[0]!);
    b = await bench(files[1]!);
  }, 120_000);

  it("records Go's CPU, heap and GC profiles, which parse and show net/http at work", () => {
    const run = okRun(a, "nethttp");
    expect(run.profile?.format).toBe("pprof");
    expect(run.profile?.cpu).toMatch(/^a\.profiles\/nethttp-default-rep0\.cpu\.pprof$/);
    expect(run.profile?.gcSummary?.windowS).toBeGreaterThan(0.5);
    expect(run.verdict?.reasons.map((x) => x.code)).toContain("profiled");
    const loaded = loadRunProfiles(dir, run.profile!);
    expect(loaded.problems).toEqual([]);
    const cpu = functionShares(loaded.cpu!);
    expect(cpu.some((f) => f.name.startsWith("net/http.") && f.cumShare > 0.2)).toBe(true);
    expect(topFunctions(loaded.cpu!, 5)).toHaveLength(5);
    // The window's allocations (end minus start) agree with the GC's own count over the window,
    // within the profile's sampling and the edges' few milliseconds.
    expect(run.profile?.heapBase).toMatch(/heap-start\.pprof$/);
    const ratio = loaded.heap!.total / run.profile!.gcSummary!.allocBytes;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    const heap = functionShares(loaded.heap!);
    expect(heap.some((f) => f.name.startsWith("net/http."))).toBe(true);
    expect(readFileSync(join(dir, "a.profiles/nethttp-default-rep0.cpu.svg"), "utf8")).toContain("net/http.");
  });

  it("agrees with go tool pprof on the CPU total", { skip: !goAvailable() }, () => {
    const file = join(dir, okRun(a, "nethttp").profile!.cpu!);
    const text = execFileSync("go", ["tool", "pprof", "-top", "-unit=ms", file], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const total = Number(/Total samples = ([\d.]+)ms/.exec(text)![1]);
    // pprof prints the total in ms with two decimals ("%.2f", trailing ".00" dropped): the same
    // sum, every sample counted, including those without symbols.
    expect(Math.abs(readPprof(readFileSync(file), ["cpu/nanoseconds"]).total / 1e6 - total)).toBeLessThanOrEqual(0.005);
  });

  it("records node-http's V8 CPU profile with its JavaScript frames", () => {
    const run = okRun(a, "node-http");
    expect(run.profile?.format).toBe("v8");
    const cpu = loadRunProfiles(dir, run.profile!).cpu!;
    expect(cpu.samples).toBeGreaterThan(50);
    expect(functionShares(cpu).some((f) => f.name.includes("http.mjs"))).toBe(true);
  });

  it("shows the top functions and links the flame graphs in the report (of the newest result)", async () => {
    const r = await runCli(["report", files[1]!]).done;
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(dir, "report.md"), "utf8");
    expect(md).toContain("Top functions by CPU time");
    expect(md).toContain("(b.profiles/nethttp-default-rep0.cpu.svg)");
    expect(md).toContain("(b.profiles/node-http-default-rep0.cpu.svg)");
  });

  it("compare names the functions whose share changed, per row profiled on both sides", async () => {
    expect(okRun(b, "nethttp").profile?.format).toBe("pprof");
    const r = await runCli(["compare", files[0]!, files[1]!, "--json"]).done;
    const doc = JSON.parse(r.stdout) as { comparisons: Array<{ profiles: Array<{ target: string; changes: Array<{ name: string }> }> }> };
    const rows = doc.comparisons[0]!.profiles;
    expect(rows.map((p) => p.target).sort()).toEqual(["nethttp", "node-http"]);
    for (const p of rows) expect(p.changes.length).toBeGreaterThan(0);
    const text = await runCli(["compare", files[0]!, files[1]!]).done;
    expect(text.stdout).toContain("Profiles of nethttp: the functions whose share of CPU time changed most");
  });

  it("reads no profile from a damaged file and says so", () => {
    const bytes = readFileSync(join(dir, okRun(a, "nethttp").profile!.cpu!));
    expect(existsSync(join(dir, "a.profiles"))).toBe(true);
    expect(() => readPprof(bytes.subarray(0, 40), ["cpu/nanoseconds"])).toThrow();
    expect(() => readPprof(Buffer.from([0x0a, 0x05, 0x08]), [])).toThrow(ProtoError);
  });
});
