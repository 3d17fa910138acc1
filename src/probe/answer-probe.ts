// One answer sampled at a window's edge (just before the load starts, just after it ends) with
// a request of the runner's own: its Date header, its body's length and FNV-1a hash, and its
// size on the wire. src/verdict/plausibility.ts compares the two edges: a Date that did not
// advance with the clock, a body that changed, an answer rate the bytes read cannot hold.
import { connect } from "node:net";

import { bodyHash } from "../load/body-hash.js";
import type { AnswerSample } from "../model/index.js";

export type { AnswerSample } from "../model/index.js";

const TIMEOUT_MS = 5000;
const HEAD_END = "\r\n\r\n";

/** A GET of `path` on a fresh connection; null when no whole Content-Length answer came back. */
export function sampleAnswer(host: string, port: number, path: string): Promise<AnswerSample | null> {
  return new Promise((resolve) => {
    const s = connect(port, host);
    let got = Buffer.alloc(0);
    const done = (v: AnswerSample | null) => (clearTimeout(timer), s.destroy(), resolve(v));
    const timer = setTimeout(() => done(null), TIMEOUT_MS);
    s.on("error", () => done(null));
    s.on("connect", () => s.write(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`)); // keep-alive, as the load: an answer of the same size
    s.on("data", (b: Buffer) => {
      got = Buffer.concat([got, b]);
      const sample = parseAnswer(got);
      if (sample !== "incomplete") done(sample);
    });
    s.on("end", () => done(null));
  });
}

/** The sample from a whole answer; "incomplete" while bytes are missing; null: no Content-Length. */
export function parseAnswer(bytes: Buffer): AnswerSample | null | "incomplete" {
  const end = bytes.indexOf(HEAD_END);
  if (end < 0) return "incomplete";
  const head = bytes.subarray(0, end).toString("latin1");
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (!length) return null;
  const bodyStart = end + HEAD_END.length;
  const n = Number(length[1]);
  if (bytes.length < bodyStart + n) return "incomplete";
  const body = bytes.subarray(bodyStart, bodyStart + n);
  const date = /\r\ndate:\s*([^\r\n]+)/i.exec(head);
  const dateMs = date ? Date.parse(date[1]!) : Number.NaN;
  return {
    atMs: performance.now(),
    dateS: Number.isFinite(dateMs) ? dateMs / 1000 : null,
    bodyLength: n,
    bodyHash: bodyHash(body),
    wireBytes: bodyStart + n,
  };
}

/** The two edges' samples of one window, taken where the runner can reach the target itself. */
export class AnswerEdges {
  start: AnswerSample | null = null;
  end: AnswerSample | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly path: string,
  ) {}

  async edge(at: "start" | "end"): Promise<void> {
    this[at] = await sampleAnswer(this.host, this.port, this.path);
  }
}
