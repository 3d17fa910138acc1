// TLS servers for the generator's tests: Node's own https and http2 (a real TLS stack that
// sustains load, unlike `openssl s_server`), with the certificates a run makes (src/tls/certs.ts).
// Each server counts the requests it answered, so a test can compare the generator's count with
// the server's.
import { readFileSync } from "node:fs";
import https from "node:https";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";

import { makeRunCerts } from "../../src/tls/certs.js";

export interface TestCert {
  keyFile: string;
  /** The leaf the servers present; clients trust `caFile`, the CA that signed it. */
  certFile: string;
  caFile: string;
  key: Buffer;
  cert: Buffer;
  remove(): void;
}

/** The harness's own run-time certificates (src/tls/certs.ts: a throwaway CA and a leaf for
 *  127.0.0.1, ::1 and localhost), with the leaf's key and certificate read for Node's servers. */
export async function makeTestCert(): Promise<TestCert> {
  const files = await makeRunCerts();
  return {
    keyFile: files.key,
    certFile: files.cert,
    caFile: files.ca!,
    key: readFileSync(files.key),
    cert: readFileSync(files.cert),
    remove: files.remove,
  };
}

export interface CountingServer {
  port: number;
  /** Requests answered so far. */
  requests(): number;
  /** TLS sessions resumed so far (https only). */
  resumed(): number;
  close(): Promise<void>;
}

function portOf(s: { address(): AddressInfo | string | null }): number {
  const a = s.address();
  return typeof a === "object" && a !== null ? a.port : 0;
}

/** HTTPS over HTTP/1.1, "Hello, World!" on every path. */
export async function startHttpsServer(cert: TestCert): Promise<CountingServer> {
  let requests = 0;
  let resumed = 0;
  const server = https.createServer({ key: cert.key, cert: cert.cert }, (_req, res) => {
    requests++;
    res.setHeader("Content-Type", "text/plain");
    res.end("Hello, World!");
  });
  server.on("secureConnection", (s) => {
    if (s.isSessionReused()) resumed++;
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: portOf(server),
    requests: () => requests,
    resumed: () => resumed,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** What the server does with its n-th stream (1-based): answer it, reset it (RST_STREAM), or
 *  answer it and then send GOAWAY on its session. */
export type H2Action = "answer" | "reset" | "goaway";

/** HTTP/2: over TLS (ALPN h2) with a certificate, else h2c with prior knowledge. requests()
 *  counts the answers; a reset stream is not one. */
export async function startH2Server(cert: TestCert | null, action: (n: number) => H2Action = () => "answer"): Promise<CountingServer> {
  let requests = 0;
  let streams = 0;
  const onStream = (stream: http2.ServerHttp2Stream) => {
    const what = action(++streams);
    if (what === "reset") {
      stream.on("error", () => {}); // Node reports the reset it sent as the stream's error
      stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      return;
    }
    requests++;
    stream.respond({ ":status": 200, "content-type": "text/plain" });
    stream.end("Hello, World!");
    if (what === "goaway") stream.session?.goaway(http2.constants.NGHTTP2_NO_ERROR);
  };
  const server = cert ? http2.createSecureServer({ key: cert.key, cert: cert.cert }) : http2.createServer();
  server.on("stream", onStream);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: portOf(server),
    requests: () => requests,
    resumed: () => 0,
    close: async () => {
      for (const s of sessions) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
