// A tiny HTTP/1.1 client over a raw socket, for verification only: it sends exact bytes and
// parses exactly one response (Content-Length or chunked), so nothing is normalised away.
import { randomBytes } from "node:crypto";
import net from "node:net";
import tls from "node:tls";

export interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: Buffer;
}

export function buildRequest(method: string, path: string, body: Buffer | null, extra: Record<string, string> = {}): Buffer {
  let head = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`;
  for (const [k, v] of Object.entries(extra)) head += `${k}: ${v}\r\n`;
  if (body) head += `Content-Length: ${body.length}\r\n`;
  head += "\r\n";
  return body ? Buffer.concat([Buffer.from(head), body]) : Buffer.from(head);
}

/** Parses one response at the start of buf; null if incomplete. Throws on malformed bytes. */
export function parseResponse(buf: Buffer): { res: RawResponse; used: number } | null {
  const end = buf.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const lines = buf.subarray(0, end).toString("latin1").split("\r\n");
  const m = /^HTTP\/1\.[01] (\d{3}) /.exec(lines[0] ?? "");
  if (!m) throw new Error(`malformed status line: ${JSON.stringify(lines[0])}`);
  const headers = new Map<string, string>();
  for (const l of lines.slice(1)) {
    const i = l.indexOf(":");
    if (i <= 0) throw new Error(`malformed header line: ${JSON.stringify(l)}`);
    headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
  }
  let pos = end + 4;
  if (headers.get("transfer-encoding")?.toLowerCase() === "chunked") {
    const parts: Buffer[] = [];
    for (;;) {
      const le = buf.indexOf("\r\n", pos);
      if (le < 0) return null;
      const size = parseInt(buf.subarray(pos, le).toString("latin1"), 16);
      if (!Number.isFinite(size)) throw new Error("malformed chunk size");
      if (buf.length < le + 2 + size + 2) return null;
      if (size === 0) return { res: { status: Number(m[1]), headers, body: Buffer.concat(parts) }, used: le + 4 };
      parts.push(buf.subarray(le + 2, le + 2 + size));
      pos = le + 2 + size + 2;
    }
  }
  const len = Number(headers.get("content-length") ?? "0");
  if (buf.length < pos + len) return null;
  return { res: { status: Number(m[1]), headers, body: buf.subarray(pos, pos + len) }, used: pos + len };
}

/** HTTP/1.1 over TLS: the CA the server's certificate must chain to (null: the user's own
 *  certificate, not checked here: the load generator checks it with the user's --ca). */
export interface TlsProbe {
  ca: Buffer | null;
}

/** A plain TCP connection, or a TLS one offering ALPN http/1.1; `onOpen` runs once bytes can go. */
export function openProbe(host: string, port: number, tlsProbe: TlsProbe | null, onOpen: () => void): net.Socket {
  if (!tlsProbe) return net.connect({ host, port }, onOpen);
  const ca = tlsProbe.ca;
  return tls.connect({ host, port, ALPNProtocols: ["http/1.1"], ...(ca ? { ca } : { rejectUnauthorized: false }) }, onOpen);
}

/** Sends `data` and collects `count` responses (or, with count = 0, `expectBytes` raw bytes). */
export function exchange(
  host: string,
  port: number,
  data: Buffer,
  count: number,
  timeoutMs = 3000,
  expectBytes = 0,
  tlsProbe: TlsProbe | null = null,
): Promise<{ responses: RawResponse[]; raw: Buffer; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const sock = openProbe(host, port, tlsProbe, () => sock.write(data));
    let buf = Buffer.alloc(0);
    const responses: RawResponse[] = [];
    let parsed = 0;
    let closed = false;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(
        new Error(
          `no complete answer within ${timeoutMs} ms (got ${responses.length} of ${count || expectBytes} ${count ? "responses" : "bytes"})`,
        ),
      );
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ responses, raw: buf, closed });
    };
    sock.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      if (count === 0) {
        if (buf.length >= expectBytes) finish();
        return;
      }
      try {
        // From where the last data event's parse stopped: the answers before it are counted
        // already (a TLS record, or a short read, brings one answer per event).
        let r: ReturnType<typeof parseResponse>;
        while (responses.length < count && (r = parseResponse(buf.subarray(parsed)))) {
          responses.push(r.res);
          parsed += r.used;
        }
      } catch (e) {
        clearTimeout(timer);
        sock.destroy();
        reject(e);
        return;
      }
      if (responses.length >= count) finish();
    });
    sock.on("end", () => {
      closed = true;
    });
    sock.on("close", () => {
      closed = true;
      if (responses.length < count || buf.length < expectBytes) {
        clearTimeout(timer);
        reject(new Error(`connection closed after ${responses.length} of ${count} responses`));
      }
    });
    sock.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

export function randomBody(n: number): Buffer {
  return randomBytes(n);
}
