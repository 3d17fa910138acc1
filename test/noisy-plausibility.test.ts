// Plausibility at the window's edges, against a real server on loopback: an answer sampled at
// each edge; a Date header that stands still while the clock moves is date-stale, a body that
// changed is answer-changed, more answers than the bytes read can hold is bytes-short; a
// correct server over the same window is none of them.
import { createServer, type Server } from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AnswerEdges } from "../src/probe/answer-probe.js";
import { plausibilityReasons } from "../src/verdict/plausibility.js";

let server: Server;
let port = 0;
let served = 0;
const FROZEN = new Date(Date.now() - 3_600_000).toUTCString();

beforeAll(async () => {
  server = createServer((req, res) => {
    served++;
    if (req.url === "/frozen") res.setHeader("Date", FROZEN); // an answer cached whole, Date and all
    res.end(req.url === "/changing" ? `answer ${served}` : "Hello, World!");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("plausibility at the window's edges", () => {
  it("names a stale Date and a changed body, and passes a correct server", async () => {
    const edges = ["/plaintext", "/frozen", "/changing"].map((p) => new AnswerEdges("127.0.0.1", port, p));
    await Promise.all(edges.map((e) => e.edge("start")));
    await new Promise((r) => setTimeout(r, 3200)); // the window: longer than the Date's slack
    await Promise.all(edges.map((e) => e.edge("end")));
    const codes = (e: AnswerEdges) => plausibilityReasons({ start: e.start, end: e.end, answers: 0, bytesRead: 0 }).map((r) => r.code);
    const [ok, frozen, changing] = edges as [AnswerEdges, AnswerEdges, AnswerEdges];
    expect(ok.start!.bodyLength).toBe(13);
    expect(codes(ok)).toEqual([]);
    expect(codes(frozen)).toEqual(["date-stale"]);
    expect(codes(changing)).toEqual(["answer-changed"]);
  });

  it("names more answers than the bytes read hold at the sampled answer's size", async () => {
    const e = new AnswerEdges("127.0.0.1", port, "/plaintext");
    await e.edge("start");
    await e.edge("end");
    const size = e.start!.wireBytes;
    const facts = (answers: number) => ({ start: e.start, end: e.end, answers, bytesRead: 1000 * size });
    expect(plausibilityReasons(facts(1000))).toEqual([]);
    const [short] = plausibilityReasons(facts(2000));
    expect(short!.code).toBe("bytes-short");
    expect(short!.message).toMatch(
      new RegExp(`2000 answers counted, but the ${1000 * size} bytes read hold at most 1000 answers of ${size} B`),
    );
  });

  it("samples nothing from a port without a server", async () => {
    const e = new AnswerEdges("127.0.0.1", 1, "/plaintext");
    await e.edge("start");
    expect(e.start).toBeNull();
    expect(plausibilityReasons({ start: e.start, end: null, answers: 10, bytesRead: 10 })).toEqual([]);
  });
});
