#!/usr/bin/env node
// npm run microbench: the C++ core's hot parts (build/bench/evbench-microbench, linked against the
// core) and the TypeScript hot paths (tinybench), saved as one evbench/microbench@1 file that
// `npm run microbench -- compare old.json new.json` reads (format: bench/README.md).
//   npm run microbench [-- --short] [--out file]
//   npm run microbench -- compare <old.json> <new.json> [--fail-on-regression pct]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { Bench } from "tinybench";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (p) => import(join(root, "dist", p));
const SCHEMA = "evbench/microbench@1";
const CHUNKS = 10; // tinybench's per-call samples are grouped into this many samples

function fail(message) {
  process.stderr.write(`microbench: ${message}\n`);
  process.exit(2);
}

function nativeTasks(short) {
  const bin = join(root, "build", "bench", "evbench-microbench");
  // Not part of the install (it serves only this command): built here the first time, in the
  // build folder the install configured.
  if (!existsSync(bin)) {
    const b = spawnSync("cmake", ["--build", join(root, "build"), "--target", "evbench_microbench"], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (b.status !== 0 || !existsSync(bin))
      fail(`${bin} could not be built (cmake --build build --target evbench_microbench, exit ${b.status}): run npm install first`);
  }
  const args = short ? ["--sample-ms", "30", "--samples", "5"] : ["--sample-ms", "200", "--samples", "10"];
  const r = spawnSync(bin, args, { encoding: "utf8" });
  if (r.status !== 0) fail(`${bin} failed (exit ${r.status}): ${r.stderr.trim()}`);
  return JSON.parse(r.stdout).tasks.map((t) => ({ ...t, group: "native" }));
}

/** A latency histogram shaped like a 5 s run's: 100k values from 50 us to 50 ms. */
function runHistogram(newLatencyHistogram, seed) {
  const h = newLatencyHistogram();
  let x = seed;
  for (let i = 0; i < 100_000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    h.recordValue(50 + Math.floor((x / 2147483648) ** 4 * 50_000));
  }
  return h;
}

function latestSeedTable() {
  const dir = join(root, "results");
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(dir, d.name))
        .filter((f) => f.endsWith("-seed-table.json"))
        .map((f) => join(dir, d.name, f)),
    );
  return files.sort().at(-1) ?? null;
}

async function tsTasks(short) {
  const { newLatencyHistogram, encodeHistogram, decodeHistogram, latencySummary } = await dist("load/client-protocol.js");
  const { mannWhitneyU, bootstrapRatioOfMedians } = await dist("stats/index.js");
  const { summarizeRuns } = await dist("run/summary.js");
  const a = runHistogram(newLatencyHistogram, 7);
  const b = runHistogram(newLatencyHistogram, 11);
  const encoded = encodeHistogram(a);
  const merged = newLatencyHistogram();
  const bench = new Bench({ time: short ? 60 : 600, warmupTime: short ? 10 : 100, retainSamples: true });
  bench.add("hdr decode (100k values)", () => decodeHistogram(encoded));
  bench.add("hdr merge two runs", () => (merged.reset(), merged.add(a), merged.add(b)));
  bench.add("hdr latencySummary", () => latencySummary(a));
  const seed = latestSeedTable();
  if (seed) {
    const runs = JSON.parse(readFileSync(seed, "utf8")).runs;
    bench.add(`summary rows (${runs.length} runs of a seed-table result)`, () => summarizeRuns(runs));
  }
  const x = [101, 99, 103, 98, 100];
  const y = [95, 97, 96, 94, 99];
  bench.add("mann-whitney 5 vs 5", () => mannWhitneyU(x, y));
  bench.add("bootstrap ratio of medians 5 vs 5", () => bootstrapRatioOfMedians(x, y));
  await bench.run();
  return bench.tasks.map((t) => {
    const samples = t.result?.latency?.samples;
    if (!samples || samples.length === 0) fail(`tinybench task "${t.name}" gave no samples (${t.result?.state ?? "no result"})`);
    const per = Math.max(1, Math.floor(samples.length / CHUNKS));
    const chunks = [];
    for (let i = 0; i + per <= samples.length && chunks.length < CHUNKS; i += per) {
      chunks.push((samples.slice(i, i + per).reduce((s, v) => s + v, 0) / per) * 1e6); // ms -> ns
    }
    return { name: t.name, group: "ts", unit: "ns/op", samples: chunks };
  });
}

async function run(argv) {
  const short = argv.includes("--short");
  const outAt = argv.indexOf("--out");
  const unknown = argv.filter((a, i) => a !== "--short" && a !== "--out" && (outAt < 0 || i !== outAt + 1));
  if (unknown.length > 0 || (outAt >= 0 && !argv[outAt + 1]))
    fail(`unknown arguments ${JSON.stringify(unknown)}; usage: microbench [--short] [--out file] | compare <old> <new>`);
  const { summarize } = await dist("stats/index.js");
  const { fingerprint, gitState } = await dist("results/env.js");
  const tasks = [...nativeTasks(short), ...(await tsTasks(short))].map((t) => ({ ...t, summary: summarize(t.samples) }));
  const env = fingerprint();
  const result = { schema: SCHEMA, createdAt: new Date().toISOString(), short, env, git: gitState(root), tasks };
  const stamp = result.createdAt.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const out = outAt >= 0 ? argv[outAt + 1] : join(root, "build", "microbench", env.hardwareId, `${stamp}-microbench.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  const width = Math.max(...tasks.map((t) => t.name.length));
  for (const t of tasks) {
    const s = t.summary;
    process.stdout.write(`${t.group.padEnd(6)} ${t.name.padEnd(width)}  ${fmt(s.median)} ns/op  [${fmt(s.lo)}..${fmt(s.hi)}]\n`);
  }
  process.stdout.write(`result: ${out}\n`);
  return 0;
}

function fmt(ns) {
  return ns >= 100 ? ns.toFixed(0) : ns.toFixed(2);
}

function readResult(file) {
  let r;
  try {
    r = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    fail(`${file}: cannot read a JSON document (${e.message})`);
  }
  if (r?.schema !== SCHEMA || !Array.isArray(r.tasks)) fail(`${file}: not an ${SCHEMA} file (schema: ${JSON.stringify(r?.schema)})`);
  return r;
}

async function compare(argv) {
  const gateAt = argv.indexOf("--fail-on-regression");
  const gate = gateAt >= 0 ? Number(argv[gateAt + 1]) : null;
  if (gateAt >= 0 && !(gate > 0)) fail("--fail-on-regression expects a positive percentage, e.g. 10");
  const files = gateAt < 0 ? argv : argv.filter((_, i) => i !== gateAt && i !== gateAt + 1);
  if (files.length !== 2) fail("compare expects two files: compare <old.json> <new.json> [--fail-on-regression pct]");
  const [oldR, newR] = files.map(readResult);
  const { mannWhitneyU } = await dist("stats/index.js");
  let regressed = 0;
  for (const n of newR.tasks) {
    const o = oldR.tasks.find((t) => t.name === n.name);
    if (!o) {
      process.stdout.write(`${n.name}: new (no baseline)\n`);
      continue;
    }
    const change = (n.summary.median / o.summary.median - 1) * 100;
    const mw = mannWhitneyU(o.samples, n.samples);
    const significant = mw !== null && mw.p <= 0.05;
    const slower = significant && gate !== null && change > gate;
    if (slower) regressed++;
    const sign = change >= 0 ? "+" : "";
    process.stdout.write(
      `${n.name}: ${fmt(o.summary.median)} -> ${fmt(n.summary.median)} ns/op  ${significant ? `${sign}${change.toFixed(1)} %` : "~"} (p=${mw ? mw.p.toFixed(3) : "-"})${slower ? "  REGRESSION" : ""}\n`,
    );
  }
  if (oldR.env?.hardwareId !== newR.env?.hardwareId)
    process.stdout.write(`warning: different machines (${oldR.env?.hardwareId} vs ${newR.env?.hardwareId})\n`);
  return regressed > 0 ? 1 : 0;
}

const argv = process.argv.slice(2);
process.exitCode = argv[0] === "compare" ? await compare(argv.slice(1)) : await run(argv);
