// `load` with the native generator's newer answers, against real servers on loopback: one
// interval histogram per second that adds up to the run, literal bodies byte for byte as the
// server receives them, a connect timeout of its own, status codes one by one, and the live
// view's last-second p50 / p99.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { readIntervalLog } from "../src/hist/log.js";
import { newLatencyHistogram } from "../src/load/client-protocol.js";
import { LoadSummary } from "../src/commands/load-summary.js";
import { runCli } from "./helpers/cli.js";
import { startHttpFixture, type HttpFixture } from "./helpers/http-fixture.js";

let fixture: HttpFixture;
let work: string;
let bodies: Buffer[] = [];
let answered = 0;

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const parts: Buffer[] = [];
  req.on("data", (d: Buffer) => parts.push(d));
  req.on("end", () => {
    if (req.method === "POST") bodies.push(Buffer.concat(parts));
    // Every third answer a 404, so that codes are counted one by one.
    const status = req.url === "/mixed" && ++answered % 3 === 0 ? 404 : 200;
    res.writeHead(status, { "content-type": "text/plain" });
    res.end("hello");
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "evbench-load-iv-"));
  fixture = await startHttpFixture(handler);
  fixture.server.keepAliveTimeout = 60_000;
});

afterAll(async () => {
  await fixture.close();
  rmSync(work, { recursive: true, force: true });
});

const url = (path: string) => `http://127.0.0.1:${fixture.port}${path}`;
const run = (args: string[]) => runCli(["load", ...args]).done;

describe("load --histogram-log with the native generator", () => {
  it("writes one histogram per second that add up to the run, exactly", async () => {
    const hlog = join(work, "s.hlog");
    const r = await run([url("/"), "-d", "3s", "--warmup", "0", "-c", "2", "-q", "--json", "--histogram-log", hlog]);
    expect(r.code, r.stderr).toBe(0);
    const s = LoadSummary.parse(JSON.parse(r.stdout));
    const intervals = readIntervalLog(readFileSync(hlog, "utf8"));
    expect(intervals.length).toBe(s.perSecond.length);
    expect(intervals.length).toBe(3);
    intervals.forEach((iv, k) => {
      expect(iv.endMs - iv.startMs).toBeLessThanOrEqual(1000 + 1);
      expect(iv.histogram.totalCount).toBe(s.perSecond[k]);
    });
    // The seconds hold the same recorded values as the whole window: merged, the same percentiles.
    const merged = newLatencyHistogram();
    for (const iv of intervals) merged.add(iv.histogram);
    expect(merged.totalCount).toBe(s.requests);
    expect(merged.getValueAtPercentile(99)).toBe(s.latencyUs.p99);
    expect(merged.getValueAtPercentile(50)).toBe(s.latencyUs.p50);
    expect(r.stderr).not.toMatch(/does not record interval histograms/);
  });

  it("--csv adds each second's p50 and p99 from the same histograms", async () => {
    const csv = join(work, "s.csv");
    const hlog = join(work, "c.hlog");
    const r = await run([url("/"), "-d", "2s", "--warmup", "0", "-c", "2", "-q", "--csv", csv, "--histogram-log", hlog]);
    expect(r.code, r.stderr).toBe(0);
    const rows = readFileSync(csv, "utf8").trim().split("\n");
    expect(rows[0]).toBe("second,requests,p50_us,p99_us");
    const intervals = readIntervalLog(readFileSync(hlog, "utf8"));
    rows.slice(1).forEach((row, k) => {
      const [, n, p50, p99] = row.split(",").map(Number);
      expect(n).toBe(intervals[k]!.histogram.totalCount);
      expect(p50).toBe(intervals[k]!.histogram.getValueAtPercentile(50));
      expect(p99).toBe(intervals[k]!.histogram.getValueAtPercentile(99));
    });
  });

  it("--histogram-log-interval 2 groups the seconds", async () => {
    const hlog = join(work, "two.hlog");
    const r = await run([
      url("/"),
      "-d",
      "3s",
      "--warmup",
      "0",
      "-c",
      "2",
      "-q",
      "--json",
      "--histogram-log",
      hlog,
      "--histogram-log-interval",
      "2",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = LoadSummary.parse(JSON.parse(r.stdout));
    const intervals = readIntervalLog(readFileSync(hlog, "utf8"));
    expect(intervals.map((i) => i.histogram.totalCount)).toEqual([s.perSecond[0]! + s.perSecond[1]!, s.perSecond[2]]);
  });
});

describe("load's literal bodies and status codes (native)", () => {
  it("--body-file sends the file byte for byte; --body sends its text as UTF-8", async () => {
    const file = join(work, "body.bin");
    const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, 13, 10, 13, 10, 65]);
    writeFileSync(file, bytes);
    bodies = [];
    let r = await run([url("/"), "-d", "500ms", "--warmup", "0", "-c", "1", "-q", "-m", "POST", "--body-file", file]);
    expect(r.code, r.stderr).toBe(0);
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.every((b) => b.equals(bytes))).toBe(true);
    bodies = [];
    r = await run([url("/"), "-d", "500ms", "--warmup", "0", "-c", "1", "-q", "-m", "POST", "--body", "café"]);
    expect(r.code, r.stderr).toBe(0);
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.every((b) => b.toString("utf8") === "café" && b.length === 5)).toBe(true);
  });

  it("counts answers by exact status code and prints them one by one", async () => {
    const r = await run([url("/mixed"), "-d", "1s", "--warmup", "0", "-c", "2", "-q"]);
    const line = /status\s+(.*)/.exec(r.stdout)?.[1] ?? "";
    const ok = Number(/200: ([\d,]+)/.exec(line)?.[1]?.replace(/,/g, ""));
    const missing = Number(/404: ([\d,]+)/.exec(line)?.[1]?.replace(/,/g, ""));
    const total = Number(/requests\s+([\d,]+) in/.exec(r.stdout)![1]!.replace(/,/g, ""));
    expect(ok + missing).toBe(total);
    expect(missing).toBeGreaterThan(0);
    expect(Math.abs(ok - 2 * missing)).toBeLessThanOrEqual(4); // every third answer a 404
  });

  it("shows p50 and p99 of the last second in the plain live view", async () => {
    const r = await run([url("/"), "-d", "3s", "--warmup", "0", "-c", "2"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/p50 [\d.]+\s*[mµu]?s\s+p99 [\d.]+\s*[mµu]?s \(last 1s\)/);
  });
});

describe("load --connect-timeout", () => {
  let holder: ChildProcess;
  let port = 0;
  beforeAll(async () => {
    // A listener that never accepts, with the smallest backlog: once its queue is full the
    // kernel drops further SYNs, and those connects hang until the connect timeout.
    const py =
      "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(30)";
    holder = spawn("python3", ["-c", py], { stdio: ["ignore", "pipe", "inherit"] });
    port = await new Promise<number>((resolve) => holder.stdout!.once("data", (d) => resolve(Number(String(d).trim()))));
  });
  afterAll(() => {
    holder.kill();
  });

  it("counts connects past it as connect errors, not timeouts", async () => {
    const r = await run([
      `http://127.0.0.1:${port}/`,
      "-d",
      "1s",
      "--warmup",
      "0",
      "-c",
      "8",
      "-q",
      "--json",
      "--timeout",
      "10s",
      "--connect-timeout",
      "100ms",
    ]);
    const s = LoadSummary.parse(JSON.parse(r.stdout));
    expect(s.errors.connect).toBeGreaterThan(0);
    expect(s.errors.timeout).toBe(0);
    expect(s.requests).toBe(0);
  });
});
