// One GET to the service for scrapes and profiles: a fresh connection (never the load's), the
// body in full, a timeout. Rejects with one line that names the URL.
import http from "node:http";

export interface Fetched {
  status: number;
  body: Buffer;
}

export function httpGet(host: string, port: number, path: string, timeoutMs: number): Promise<Fetched> {
  const url = `http://${host}:${port}${path}`;
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path, timeout: timeoutMs, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
      res.on("error", (e) => reject(new Error(`GET ${url}: ${e.message}`)));
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    req.on("error", (e) => reject(new Error(e.message.startsWith("GET ") ? e.message : `GET ${url}: ${e.message}`)));
  });
}
