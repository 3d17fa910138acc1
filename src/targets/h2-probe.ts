// The HTTP/2 side of verification: one session (over TLS with ALPN h2, or h2c with prior
// knowledge), the requests as concurrent streams, each answer as the same RawResponse the
// HTTP/1.1 probe gives, so one set of checks judges both.
import http2 from "node:http2";

import type { RawResponse, TlsProbe } from "./http-probe.js";

export interface H2Request {
  method: string;
  path: string;
  body: Buffer | null;
}

function connect(host: string, port: number, tlsProbe: TlsProbe | null): http2.ClientHttp2Session {
  if (!tlsProbe) return http2.connect(`http://${host}:${port}`);
  const ca = tlsProbe.ca;
  return http2.connect(`https://${host}:${port}`, { ALPNProtocols: ["h2"], ...(ca ? { ca } : { rejectUnauthorized: false }) });
}

function ask(session: http2.ClientHttp2Session, r: H2Request): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ":method": r.method, ":path": r.path }, { endStream: r.body === null });
    const chunks: Buffer[] = [];
    const headers = new Map<string, string>();
    let status = 0;
    stream.on("response", (h) => {
      status = Number(h[":status"]);
      for (const [k, v] of Object.entries(h)) if (!k.startsWith(":") && v !== undefined) headers.set(k, String(v));
    });
    stream.on("data", (d: Buffer) => chunks.push(d));
    stream.on("end", () => resolve({ status, headers, body: Buffer.concat(chunks) }));
    stream.on("error", reject);
    if (r.body !== null) stream.end(r.body);
  });
}

/** Sends every request on one HTTP/2 session and returns the answers in order; rejects when the
 *  session cannot be had (no ALPN h2, not HTTP/2 at all) or an answer is not complete in time. */
export async function h2Exchange(
  host: string,
  port: number,
  tlsProbe: TlsProbe | null,
  requests: readonly H2Request[],
  timeoutMs = 3000,
): Promise<RawResponse[]> {
  const session = connect(host, port, tlsProbe);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no complete HTTP/2 answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const failed = new Promise<never>((_, reject) => session.once("error", (e: Error) => reject(new Error(`HTTP/2: ${e.message}`))));
  try {
    await Promise.race([new Promise((r) => session.once("connect", r)), failed, timeout]);
    if (tlsProbe && session.alpnProtocol !== "h2") throw new Error(`the server chose ALPN ${String(session.alpnProtocol)}, not h2`);
    return await Promise.race([Promise.all(requests.map((r) => ask(session, r))), failed, timeout]);
  } finally {
    clearTimeout(timer);
    session.destroy();
  }
}
