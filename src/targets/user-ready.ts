// When a user's server is ready: a TCP connect succeeds, GET <path> answers the stated status,
// or a line of its output matches; polled until a deadline. A wrong probe status fails at once
// (a server that answers wrongly will not start answering rightly by waiting).
import net from "node:net";

import { httpGet } from "../runtime/http-get.js";
import type { ReadySpec } from "./user-spec.js";

const POLL_MS = 50;

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.setTimeout(1000, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

/** true: ready; a string: why it never will be. */
async function probeOnce(r: ReadySpec, host: string, port: number): Promise<boolean | string> {
  if (!r.http) return connects(host, port);
  try {
    const res = await httpGet(host, port, r.http.path, 2000);
    return res.status === r.http.status || `GET ${r.http.path} answered ${res.status}, expected ${r.http.status}`;
  } catch {
    return false; // not listening yet
  }
}

export interface ReadyWatch {
  /** Resolves when ready; rejects with the reason it never will be. */
  ready: Promise<void>;
  /** Feed every output line (for the `line` form). */
  line(l: string): void;
  cancel(): void;
}

export function watchReady(r: ReadySpec, host: string, port: number): ReadyWatch {
  let settled = false; // ready, failed or cancelled: the poll ends
  let lineSeen: () => void = () => {};
  const pattern = r.line === undefined ? null : new RegExp(r.line);
  const ready = new Promise<void>((resolveReady, rejectReady) => {
    const resolve = () => ((settled = true), resolveReady());
    const reject = (e: Error) => ((settled = true), rejectReady(e));
    lineSeen = resolve;
    const deadline = Date.now() + r.timeoutMs;
    const what = pattern
      ? `no output line matched /${r.line}/`
      : r.http
        ? `GET ${r.http.path} did not answer`
        : `nothing accepted a connection on ${host}:${port}`;
    const poll = async () => {
      if (settled) return;
      if (Date.now() > deadline) return reject(new Error(`${what} within ${r.timeoutMs} ms`));
      if (!pattern) {
        const got = await probeOnce(r, host, port);
        if (got === true) return resolve();
        if (typeof got === "string") return reject(new Error(got));
      }
      setTimeout(() => void poll(), POLL_MS).unref();
    };
    void poll();
  });
  ready.catch(() => {});
  return {
    ready,
    line: (l) => {
      if (!settled && pattern?.test(l)) lineSeen();
    },
    cancel: () => {
      settled = true;
    },
  };
}
