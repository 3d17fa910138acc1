// node-http's wire protocols (docs/architecture.md "Target process"): plain HTTP/1.1 (node:http),
// TLS (node:http2's secure server with allowHTTP1: ALPN offers h2 and http/1.1, and an HTTP/1.1
// connection is handed to node:http's own connection handling, the path node:https takes), and
// h2c (node:http2's cleartext server: HTTP/2 with prior knowledge only, as Node has no HTTP/1.1
// beside it on one cleartext port).
import { readFileSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";

/** The protocol flags, in parseTargetArgs' extra form. */
export const PROTOCOL_FLAGS = {
  "tls-cert": { default: null, meta: "FILE", parse: (v) => v },
  "tls-key": { default: null, meta: "FILE", parse: (v) => v },
  h2c: { default: false, boolean: true },
};

const ALPN = ["h2", "http/1.1"];

/** This process's completed TLS handshakes, full and resumed (session tickets): the server's own
 *  count, so a run can tell whether resumption happened. */
export const handshakes = { full: 0, resumed: 0 };

function refuse(msg) {
  process.stderr.write(`node-http: ${msg}\n`);
  process.exit(2);
}

function readPem(flag, file) {
  try {
    return readFileSync(file);
  } catch (err) {
    return refuse(`${flag} ${file}: ${err.code === "ENOENT" ? "no such file" : err.message}; name a readable PEM file`);
  }
}

/** The protocol asked for: { kind: "h1" | "tls" | "h2c", cert?, key? }; impossible asks exit 2. */
export function protocolOf(opts) {
  const cert = opts["tls-cert"];
  const key = opts["tls-key"];
  if ((cert === null) !== (key === null)) refuse("--tls-cert and --tls-key go together: name both PEM files");
  if (cert !== null && opts.h2c) refuse("--h2c is HTTP/2 without TLS: with --tls-cert, HTTP/2 is offered over ALPN; drop one of them");
  if ((cert !== null || opts.h2c) && opts.mode !== "http") refuse("--tls-cert and --h2c apply to --mode http only");
  if (cert !== null) return { kind: "tls", cert: readPem("--tls-cert", cert), key: readPem("--tls-key", key) };
  return { kind: opts.h2c ? "h2c" : "h1" };
}

/** The HTTP server for the protocol, answering with `handler(req, res)` (http's or http2's compat API). */
export function createHttpServer(proto, handler) {
  if (proto.kind === "h1") {
    const server = http.createServer({ keepAlive: true, noDelay: true }, handler);
    // Node's default 5 s keep-alive timeout would close idle benchmark connections between phases.
    server.keepAliveTimeout = 0;
    server.headersTimeout = 0;
    server.requestTimeout = 0;
    return server;
  }
  if (proto.kind === "h2c") return http2.createServer({}, handler);
  let server;
  try {
    server = http2.createSecureServer({ cert: proto.cert, key: proto.key, allowHTTP1: true, ALPNProtocols: ALPN }, handler);
  } catch (err) {
    return refuse(`--tls-cert/--tls-key: ${err.message}`);
  }
  server.on("secureConnection", (sock) => {
    if (sock.isSessionReused()) handshakes.resumed++;
    else handshakes.full++;
  });
  // The HTTP/1.1 side's timeouts, off as for plain HTTP (the http2 server sets its own for it).
  server.keepAliveTimeout = 0;
  server.headersTimeout = 0;
  server.requestTimeout = 0;
  server.setTimeout(0);
  return server;
}

/** The facts every stats line carries under extra. */
export function protocolFacts(proto) {
  return proto.kind === "tls" ? { tls: true, alpn: ALPN, h2c: false } : { tls: false, h2c: proto.kind === "h2c" };
}
