// Before `load` measures anything: the host must resolve and the server must accept a
// connection. Without this, an unresolvable name dies inside the client with a stack trace, and
// a closed port is retried for the whole duration (thousands of refused connects) and reported
// as a run with no answers. As wrk does, a refused connect ends the command at once.
import { lookup } from "node:dns/promises";
import net from "node:net";

import { BadInputError } from "../errors.js";

/** A refused or unreachable server: the input was well formed, the run failed (exit 1). */
export class UnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnreachableError";
  }
}

function codeOf(e: unknown): string {
  return e instanceof Error && "code" in e ? String(e.code) : "";
}

/** The first address of `host` (an IP literal is its own), or bad input naming the host. */
export async function resolveHost(host: string, url: string): Promise<string> {
  if (net.isIP(host) !== 0) return host;
  try {
    return (await lookup(host)).address;
  } catch (e) {
    const code = codeOf(e);
    const why = code === "ENOTFOUND" ? "no such host" : code === "EAI_AGAIN" ? "the name server did not answer" : code || String(e);
    throw new BadInputError(`<url> ${url}: cannot resolve ${host} (${why}); check the name, or give an address such as 127.0.0.1`);
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused (nothing listens there: is the server running?)",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connect timed out",
};

/** One connect to the server, closed at once; throws UnreachableError with the reason. */
export function probeConnect(address: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    const fail = (code: string) => {
      socket.destroy();
      reject(new UnreachableError(`cannot connect to ${address}:${port}: ${REASONS[code] ?? code}; nothing was measured`));
    };
    socket.setTimeout(timeoutMs, () => fail("ETIMEDOUT"));
    socket.once("error", (e) => fail(codeOf(e)));
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
  });
}
