// `load`'s flags against a real server on loopback that records what it receives: the server's
// own counts, headers and bodies are the reference, never the generator's word.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import type http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { readIntervalLog } from "../src/hist/log.js";
import { nativeFeatures } from "../src/commands/load-request.js";
import { LoadSummary } from "../src/commands/load-summary.js";
import { CLI, ROOT } from "./helpers/cli.js";
import { startHttpFixture, type HttpFixture } from "./helpers/http-fixture.js";

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  bodyBytes: number;
}

let fixture: HttpFixture;
let port = 0;
let seen: Seen[] = [];
let sockets = 0;
let work: string;

function record(req: http.IncomingMessage, res: http.ServerResponse): void {
  let bodyBytes = 0;
  req.on("data", (d: Buffer) => (bodyBytes += d.length));
  req.on("end", () => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, bodyBytes });
    if (req.url === "/slow") return; // never answered: the client's timeout must fire
    res.writeHead(req.url === "/missing" ? 404 : 200, { "content-type": "text/plain" });
    res.end("hello");
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "evbench-load-cli-"));
  fixture = await startHttpFixture(record);
  fixture.server.on("connection", () => sockets++);
  fixture.server.keepAliveTimeout = 60_000;
  port = fixture.port;
});

afterAll(async () => {
  await fixture.close();
  spawnSync("rm", ["-rf", work]);
});

// The server runs in this process, so the CLI is spawned asynchronously (spawnSync would block it).
async function loadAsync(args: string[], prefix: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  seen = [];
  sockets = 0;
  const argv = [...prefix, process.execPath, CLI, "load", ...args];
  const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
  return { code, stdout, stderr };
}

const base = () => `http://127.0.0.1:${port}`;
const short = ["-d", "1s", "--warmup", "0", "-c", "2", "-q"];

describe("load against a recording server", () => {
  it("sends every -H header, the -m method and --body-size bytes", async () => {
    const r = await loadAsync([
      `${base()}/echo`,
      ...short,
      "-H",
      "X-Evbench: yes",
      "-H",
      "Accept: text/plain",
      "-m",
      "post",
      "--body-size",
      "100",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) {
      expect(s.method).toBe("POST");
      expect(s.headers["x-evbench"]).toBe("yes");
      expect(s.headers["accept"]).toBe("text/plain");
      expect(s.bodyBytes).toBe(100);
    }
  });

  it("--json is one document that the schema accepts, and its counts are the server's", async () => {
    const r = await loadAsync([`${base()}/`, ...short, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const s = LoadSummary.parse(JSON.parse(r.stdout));
    expect(s.requests).toBeGreaterThan(0);
    expect(s.requests).toBeLessThanOrEqual(seen.length); // the server saw every answered request
    expect(s.status["200"]).toBe(s.requests); // the native generator counts codes one by one
    expect(s.errors.total).toBe(0);
  });

  it("counts 404 answers by status and as errors", async () => {
    const r = await loadAsync([`${base()}/missing`, ...short, "--json"]);
    const s = LoadSummary.parse(JSON.parse(r.stdout));
    expect(s.status["404"]).toBe(s.requests);
    expect(s.errors.status).toBeGreaterThan(0);
  });

  it("--timeout 300ms fires against a server that never answers", async () => {
    const r = await loadAsync([`${base()}/slow`, "-d", "1500ms", "--warmup", "0", "-c", "1", "-q", "--timeout", "300ms", "--json"]);
    const s = LoadSummary.parse(JSON.parse(r.stdout));
    expect(s.requests).toBe(0);
    expect(s.errors.timeout).toBeGreaterThan(0);
  });

  it("--no-keepalive opens a connection per request", async () => {
    const r = await loadAsync([`${base()}/`, ...short, "--no-keepalive", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const s = LoadSummary.parse(JSON.parse(r.stdout));
    expect(s.requests).toBeGreaterThan(10);
    expect(sockets).toBeGreaterThanOrEqual(s.requests);
  });

  it("-R keeps to the rate (the server counts no more than rate x time)", async () => {
    const r = await loadAsync([`${base()}/`, "-d", "2s", "--warmup", "0", "-c", "4", "-q", "-R", "100", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const s = LoadSummary.parse(JSON.parse(r.stdout));
    expect(s.settings.rate).toBe(100);
    expect(seen.length).toBeLessThanOrEqual(100 * 2 * 1.1 + 4);
    expect(s.requests).toBeGreaterThan(0);
  });

  it("--latency prints the distribution; --hgrm, --csv and --histogram-log write files that parse", async () => {
    const hgrm = join(work, "a.hgrm");
    const csv = join(work, "a.csv");
    const hlog = join(work, "a.hlog");
    const r = await loadAsync([`${base()}/`, ...short, "--latency", "--hgrm", hgrm, "--csv", csv, "--histogram-log", hlog]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Latency distribution/);
    expect(r.stdout).toMatch(/ 99\.000%/);
    expect(r.stdout).toMatch(/Latency histogram/);
    const answered = Number(/requests\s+([\d,]+) in/.exec(r.stdout)![1]!.replace(/,/g, ""));
    expect(readFileSync(hgrm, "utf8")).toMatch(new RegExp(`Total count\\s+=\\s+${answered}\\]`));
    const rows = readFileSync(csv, "utf8").trim().split("\n");
    expect(rows[0]).toBe("second,requests,p50_us,p99_us"); // the native generator's seconds carry latency
    expect(rows.slice(1).reduce((a, l) => a + Number(l.split(",")[1]), 0)).toBeLessThanOrEqual(answered);
    const intervals = readIntervalLog(readFileSync(hlog, "utf8"));
    expect(intervals.reduce((a, i) => a + i.histogram.totalCount, 0)).toBe(answered);
  });

  it("-n 1000 sends exactly 1,000 requests by the server's count (or says the addon cannot)", async () => {
    const r = await loadAsync([`${base()}/`, "-n", "1000", "-c", "4", "-q", "--json"]);
    if (nativeFeatures().has("requests")) {
      expect(r.code, r.stderr).toBe(0);
      expect(seen.length).toBe(1000);
      expect(LoadSummary.parse(JSON.parse(r.stdout)).requests).toBe(1000);
    } else {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/-n\/--requests: this build's native addon has no "requests" option yet/);
      expect(seen.length).toBe(0);
    }
  });

  it("--body sends the literal body (or says the addon cannot)", async () => {
    const r = await loadAsync([`${base()}/`, ...short, "-m", "POST", "--body", "hello=world"]);
    if (nativeFeatures().has("body")) {
      expect(r.code, r.stderr).toBe(0);
      expect(seen.every((s) => s.bodyBytes === 11)).toBe(true);
    } else {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--body: this build's native addon has no "body" option yet/);
      expect(seen.length).toBe(0);
    }
  });

  // Node itself raises its soft limit to the hard one at start-up (ensureDescriptors does it too
  // where Node did not); the load's client inherits it, so 300 connections open under soft 256.
  it("opens more connections than the soft open-file limit when the hard one allows", async () => {
    if (!existsSync("/usr/bin/prlimit")) return;
    const r = await loadAsync([`${base()}/`, "-d", "1s", "--warmup", "0", "-c", "300", "--json"], ["prlimit", "--nofile=256:4096"]);
    expect(r.code, r.stderr).toBe(0);
    const s = LoadSummary.parse(JSON.parse(r.stdout));
    expect(s.requests).toBeGreaterThan(0);
    expect(s.errors.connect).toBe(0);
    expect(sockets).toBeGreaterThanOrEqual(300);
  });
  it("-t, -c, --pipeline, --cpus and --warmup reach the generator (warm-up answers are not recorded)", async () => {
    const r = await loadAsync([
      `${base()}/`,
      "-d",
      "1s",
      "--warmup",
      "1s",
      "-t",
      "2",
      "-c",
      "4",
      "--pipeline",
      "4",
      "--cpus",
      "0",
      "-q",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = LoadSummary.parse(JSON.parse(r.stdout));
    expect(s.settings).toMatchObject({ threads: 2, connections: 4, pipeline: 4, warmupS: 1 });
    expect(sockets).toBeGreaterThanOrEqual(4);
    expect(s.requests).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(s.requests); // the server also answered the warm-up
  });

  it("--fast-open with --no-keepalive answers", async () => {
    const r = await loadAsync([`${base()}/`, ...short, "--no-keepalive", "--fast-open", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(LoadSummary.parse(JSON.parse(r.stdout)).requests).toBeGreaterThan(0);
  });

  it.each(["wrk", "autocannon"])("--generator %s sends the -H header and -m method too", async (generator) => {
    const r = await loadAsync([`${base()}/`, ...short, "--generator", generator, "-H", "X-Evbench: yes", "-m", "PUT", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(LoadSummary.parse(JSON.parse(r.stdout)).generator).toBe(generator);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((x) => x.headers["x-evbench"] === "yes" && x.method === "PUT")).toBe(true);
  });
});
