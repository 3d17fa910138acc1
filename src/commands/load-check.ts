// `load --check status,length[,body]`: what every answer is compared with during the load. A
// field given a value (status=200, length=13) is expected as given; the others are taken from
// one answer fetched before the load with the same request, which must be a 2xx (the "verified"
// answer: a check against an error page would count every good answer as a mismatch).
import { readFileSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import https from "node:https";

import { BadInputError } from "../errors.js";
import { bodyHash } from "../load/body-hash.js";
import type { LoadRequestSpec } from "./load-request.js";

export interface CheckSpec {
  checkStatus?: number;
  checkLength?: number;
  /** FNV-1a 64 of the body, 16 hex digits (src/load/body-hash.ts). */
  checkBodyHash?: string;
}

interface Asked {
  status: number | null | undefined; // undefined: not checked; null: from the first answer
  length: number | null | undefined;
  body: boolean;
}

const USAGE = "expected a comma-separated list of status[=code], length[=bytes], body, e.g. --check status,length";

export function parseCheck(text: string): Asked {
  const asked: Asked = { status: undefined, length: undefined, body: false };
  for (const part of text.split(",").map((s) => s.trim())) {
    const [name, value, more] = part.split("=");
    const n = value === undefined ? null : Number(value);
    if (more !== undefined || (n !== null && !Number.isInteger(n))) throw new BadInputError(`--check "${part}": ${USAGE}`);
    if (name === "status" && (n === null || (n >= 100 && n <= 599))) asked.status = n;
    else if (name === "length" && (n === null || n >= 0)) asked.length = n;
    else if (name === "body" && n === null) asked.body = true;
    else throw new BadInputError(`--check "${part}": ${USAGE}`);
  }
  return asked;
}

interface Answer {
  status: number;
  body: Buffer;
}

/** TLS as the generator will speak it: the same CA, or no check with --insecure. */
function tlsOptions(spec: LoadRequestSpec): { rejectUnauthorized: boolean; ca?: Buffer } {
  const t = spec.tls!;
  return { rejectUnauthorized: !t.insecure, ...(t.caFile !== undefined ? { ca: readFileSync(t.caFile) } : {}) };
}

/** The first answer over HTTP/2 (h2c with prior knowledge, or h2 over TLS), as the load will ask. */
function fetchH2(spec: LoadRequestSpec, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const authority = `${spec.tls ? "https" : "http"}://${spec.host.includes(":") ? `[${spec.host}]` : spec.host}:${spec.port}`;
    const session = http2.connect(authority, spec.tls ? tlsOptions(spec) : {});
    const timer = setTimeout(() => session.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const done = (e: Error | null, a?: Answer) => {
      clearTimeout(timer);
      session.close();
      if (e) reject(e);
      else resolve(a!);
    };
    session.on("error", (e) => done(e));
    const req = session.request({ ...spec.headers, ":method": spec.method, ":path": spec.path });
    const parts: Buffer[] = [];
    let status = 0;
    req.on("response", (h) => (status = Number(h[":status"] ?? 0)));
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("end", () => done(null, { status, body: Buffer.concat(parts) }));
    req.on("error", (e) => done(e));
    req.end();
  });
}

function fetchOnce(spec: LoadRequestSpec, timeoutMs: number): Promise<Answer> {
  if (spec.h2) return fetchH2(spec, timeoutMs);
  return new Promise((resolve, reject) => {
    const body = spec.body !== undefined ? Buffer.from(spec.body, "latin1") : Buffer.alloc(spec.bodyBytes, "a");
    const headers: Record<string, string | number> = { ...spec.headers };
    if (body.length > 0) headers["content-length"] = body.length;
    const request = spec.tls ? https.request : http.request;
    const req = request(
      {
        host: spec.host,
        port: spec.port,
        path: spec.path,
        method: spec.method,
        headers,
        timeout: timeoutMs,
        agent: false,
        ...(spec.tls ? tlsOptions(spec) : {}),
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (d: Buffer) => parts.push(d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** The expected answer's fields, as the native generator takes them (spec fields). */
export async function resolveCheck(text: string, spec: LoadRequestSpec): Promise<CheckSpec> {
  const asked = parseCheck(text);
  const needFirst = asked.status === null || asked.length === null || asked.body;
  let first: Answer | null = null;
  if (needFirst) {
    try {
      first = await fetchOnce(spec, spec.timeoutMs);
    } catch (e) {
      throw new BadInputError(
        `--check: the first request to ${spec.tls ? "https" : "http"}://${spec.host}:${spec.port}${spec.path}${spec.h2 ? " (HTTP/2)" : ""} failed (${e instanceof Error ? e.message : String(e)}); start the server, or give the expected values (status=200,length=13)`,
      );
    }
    if (first.status < 200 || first.status > 299) {
      throw new BadInputError(
        `--check: the first answer is a ${first.status}, not a 2xx, so it cannot be the expected answer; fix the URL or give the expected values (status=${first.status})`,
      );
    }
  }
  const out: CheckSpec = {};
  if (asked.status !== undefined) out.checkStatus = asked.status ?? first!.status;
  if (asked.length !== undefined) out.checkLength = asked.length ?? first!.body.length;
  if (asked.body) out.checkBodyHash = bodyHash(first!.body);
  return out;
}
