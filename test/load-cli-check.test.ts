// `load --check`: every answer compared with the expected one during the load, against a real
// server on loopback that makes every 10th answer one byte longer and counts them itself.
import type http from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { LoadSummary } from "../src/commands/load-summary.js";
import { bodyHash } from "../src/load/body-hash.js";
import { runCli } from "./helpers/cli.js";
import { startHttpFixture, type HttpFixture } from "./helpers/http-fixture.js";

let fixture: HttpFixture;
let answered = 0;
let altered = 0;

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  req.on("end", () => {
    answered++;
    const wrong = req.url === "/tenth" && answered % 10 === 0;
    if (wrong) altered++;
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(wrong ? "Hello, World!!" : "Hello, World!");
  });
}

beforeAll(async () => {
  fixture = await startHttpFixture(handler);
  fixture.server.keepAliveTimeout = 60_000;
});

afterAll(async () => {
  await fixture.close();
});

async function load(path: string, args: string[]) {
  answered = 0;
  altered = 0;
  return runCli(["load", `http://127.0.0.1:${fixture.port}${path}`, "-q", ...args]).done;
}

describe("load --check", () => {
  it("counts every 10th answer of a wrong length, under pipelining, and the counts add up", async () => {
    const r = await load("/tenth", ["-n", "1000", "-c", "4", "--pipeline", "4", "--check", "status,length", "--json"]);
    const s = LoadSummary.parse(JSON.parse(r.stdout));
    expect(s.requests).toBe(1000);
    expect(answered).toBe(1001); // the first, verified answer, then the load's
    expect(s.check).not.toBeNull();
    expect(s.check!.expected).toEqual({ status: 200, length: 13, bodyHash: null });
    expect(s.check!.mismatched).toBe(altered);
    expect(s.check!.length).toBe(altered);
    expect(s.check!.status).toBe(0);
    expect(altered).toBe(100);
    // sent = answered + errors + unfinished: by the server's count (1,000 answered, nothing
    // failed or left over), and by the generator's own where its result carries the accounting.
    const e = s.errors;
    expect(e.connect + e.reset + e.timeout + e.badResponse).toBe(0);
    if (s.accounting) expect(s.accounting.sent).toBe(s.requests + s.accounting.unfinished);
    // 10 % > 1 %: invalid, with the reason, and exit 1
    expect(s.verdict?.verdict).toBe("invalid");
    expect(s.verdict?.reasons.map((x) => x.code)).toContain("mismatch");
    expect(r.code).toBe(1);
  });

  it("passes a server that always answers the same, body hash included, and prints the line", async () => {
    const r = await load("/", ["-d", "1s", "--warmup", "0", "-c", "2", "--pipeline", "8", "--check", "status,length,body"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`check\\s+all [\\d,]+ answers as expected \\(status 200, length 13, body ${bodyHash(Buffer.from("Hello, World!"))}\\)`),
    );
  });

  it("takes given values without a first request, and counts them as differing", async () => {
    const r = await load("/", ["-n", "200", "-c", "2", "--check", "status=200,length=12", "--json"]);
    const s = LoadSummary.parse(JSON.parse(r.stdout));
    expect(answered).toBe(200);
    expect(s.check!.mismatched).toBe(200);
    expect(r.code).toBe(1);
  });

  it("refuses a field it does not know with one line and exit 2", async () => {
    const r = await load("/", ["-n", "10", "--check", "status,headers"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--check "headers": expected a comma-separated list/);
  });
});
