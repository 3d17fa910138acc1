#!/usr/bin/env node
// The node-http target: Node's own http module answering the contract of docs/architecture.md
// (or raw TCP echo with net). With --threads N > 1 it runs N cluster workers that share the
// port; the primary then answers the control channel with the workers' counters summed.
import cluster from "node:cluster";
import { readFileSync } from "node:fs";
import net from "node:net";

import { announceReady, parseTargetArgs, serveControl } from "./control.mjs";
import { startGcMeter } from "./gc-meter.mjs";
import { PROTOCOL_FLAGS, createHttpServer, handshakes, protocolFacts, protocolOf } from "./protocols.mjs";

const PLAINTEXT = Buffer.from("Hello, World!");
const NOT_FOUND = Buffer.from("Not Found");

// Node raises the soft RLIMIT_NOFILE to the hard limit at start-up (there is no API to do it from
// JS); at the limit libuv's accept sheds with a reserved descriptor and keeps serving. The limit in
// force is reported, read from /proc (Linux; null elsewhere).
function fdLimit() {
  try {
    const line = readFileSync("/proc/self/limits", "latin1")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const n = Number(line?.trim().split(/\s+/)[3]);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

function versions() {
  return { node: process.version, v8: process.versions.v8, llhttp: process.versions.llhttp ?? "" };
}

/** One server in this process; returns a function that reads its counters. */
function serve(opts, onListening) {
  let requests = 0;
  const readGc = startGcMeter();
  let server;
  if (opts.mode === "echo") {
    server = net.createServer({ noDelay: true }, (sock) => {
      sock.on("data", (d) => {
        requests += d.length;
        // Back-pressure: a peer that does not read must not make the process buffer its bytes
        // without end (issue 28), so reading stops until the socket has written what it holds.
        if (!sock.write(d)) {
          sock.pause();
          sock.once("drain", () => sock.resume());
        }
      });
      sock.on("error", () => sock.destroy());
    });
  } else {
    server = createHttpServer(opts.protocol, (req, res) => {
      const path = req.url.split("?", 1)[0];
      res.setHeader("Server", "evbench");
      // HEAD is answered like GET; Node's http sends the head and drops the body itself.
      if ((req.method === "GET" || req.method === "HEAD") && path === "/plaintext") {
        requests++;
        res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": PLAINTEXT.length });
        res.end(PLAINTEXT);
      } else if (req.method === "POST" && path === "/echo") {
        const chunks = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => {
          requests++;
          const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
          res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": body.length });
          res.end(body);
        });
      } else {
        requests++;
        req.resume();
        res.writeHead(404, { "Content-Type": "text/plain", "Content-Length": NOT_FOUND.length });
        res.end(NOT_FOUND);
      }
    });
  }
  server.once("error", (err) => exitOnListenError(err, opts));
  server.listen(opts.port, opts.host, () => onListening(server.address().port));
  return () => ({ ...readGc(), requests, tlsHandshakes: { ...handshakes } });
}

/** A listen that fails ends the process with one line: exit 2 when another process holds the port. */
function exitOnListenError(err, opts) {
  process.stderr.write(`node-http: listen ${opts.host}:${opts.port}: ${err.message}\n`);
  process.exit(err.code === "EADDRINUSE" ? 2 : 1);
}

/** The primary checks the port before forking workers (their listens go through it), so a held
 *  port gives one line, not one per worker. Node never sets SO_REUSEPORT: the probe's bind is
 *  exclusive, and a holder, even one with SO_REUSEPORT, makes it fail. */
function probePort(opts, then) {
  if (opts.port === 0) return then();
  const probe = net.createServer();
  probe.once("error", (err) => exitOnListenError(err, opts));
  probe.listen(opts.port, opts.host, () => probe.close(then));
}

const opts = parseTargetArgs(process.argv.slice(2), PROTOCOL_FLAGS);
opts.protocol = protocolOf(opts);
const facts = protocolFacts(opts.protocol);

if (opts.threads === 1) {
  const read = serve(opts, (port) => {
    announceReady(port);
  });
  serveControl(() => {
    const { tlsHandshakes, ...counters } = read();
    const extra = { workers: 1, fdLimit: fdLimit(), ...facts, ...(opts.protocol.kind === "tls" ? { tlsHandshakes } : {}) };
    return { runtime: "node", ...counters, versions: versions(), extra };
  });
} else if (cluster.isPrimary) {
  // Workers share the primary's listening handle, keyed by the asked port: with port 0 they all
  // get the same ephemeral port, so READY waits for every worker and names the one port.
  cluster.setupPrimary({ args: process.argv.slice(2), silent: false });
  const workers = [];
  let listening = 0;
  probePort(opts, () => forkWorkers());
  function forkWorkers() {
    for (let i = 0; i < opts.threads; i++) {
      const w = cluster.fork({ EVBENCH_WORKER_PORT: String(opts.port) });
      workers.push(w);
      w.once("message", (m) => {
        if (m?.type === "listening" && ++listening === opts.threads) announceReady(m.port);
      });
    }
  }
  cluster.on("exit", (w, code, signal) => {
    // A worker's listen failing (the port taken after the probe) has said why already.
    if (code === 2 && listening < opts.threads) process.exit(2);
    process.stderr.write(`node-http worker ${w.process.pid} exited (${signal ?? code})\n`);
    process.exit(1);
  });
  const ask = (w) =>
    new Promise((resolve) => {
      const onMsg = (m) => {
        if (m?.type === "stats") {
          w.off("message", onMsg);
          resolve(m.stats);
        }
      };
      w.on("message", onMsg);
      w.send({ type: "stats" });
    });
  serveControl(
    async () => {
      const all = await Promise.all(workers.map(ask));
      const sum = (k) => all.reduce((a, s) => a + (s[k] ?? 0), 0);
      return {
        runtime: "node",
        gcCycles: sum("gcCycles"),
        gcPauseNs: sum("gcPauseNs"),
        allocBytes: sum("allocBytes"),
        allocObjects: null,
        heapBytes: sum("heapBytes"),
        requests: sum("requests"),
        versions: versions(),
        extra: {
          workers: workers.length,
          fdLimit: fdLimit(),
          ...facts,
          ...(opts.protocol.kind === "tls"
            ? {
                tlsHandshakes: {
                  full: all.reduce((a, s) => a + s.tlsHandshakes.full, 0),
                  resumed: all.reduce((a, s) => a + s.tlsHandshakes.resumed, 0),
                },
              }
            : {}),
        },
      };
    },
    () => {
      for (const w of workers) w.process.kill("SIGKILL");
    },
    "the cluster's workers serve, the primary profiles only itself: profile with --threads 1",
  );
} else {
  const read = serve({ ...opts, port: Number(process.env.EVBENCH_WORKER_PORT) }, (port) => {
    process.send({ type: "listening", port });
  });
  process.on("message", (m) => {
    if (m?.type === "stats") process.send({ type: "stats", stats: read() });
  });
  // The primary's death must not leave workers behind.
  process.on("disconnect", () => process.exit(0));
}
