// Before any measurement, the runner checks each target's answers byte for byte, as
// TechEmpower's verifier does, and refuses to benchmark a target that answers wrongly.
import type { TargetDef, TargetMode } from "./registry.js";
import type { Protocol } from "../model/index.js";
import { h2Exchange } from "./h2-probe.js";
import { buildRequest, exchange, randomBody, type RawResponse, type TlsProbe } from "./http-probe.js";

/** How long one verification exchange may take on loopback or a clean link. */
export const VERIFY_TIMEOUT_MS = 3000;

export interface VerifyRequest {
  method: string;
  path: string;
  bodyBytes: number;
  /** The load's extra headers (a user target is verified with the request the load sends). */
  headers?: Record<string, string>;
}

/** The protocol the target is verified over, and the CA its certificate chains to (TLS only;
 *  null: the user's own certificate, not checked by the probe). */
export interface Wire {
  protocol: Protocol;
  ca: Buffer | null;
}
export const PLAIN_WIRE: Wire = { protocol: "h1", ca: null };

function tlsProbeOf(w: Wire): TlsProbe | null {
  return w.protocol === "h1-tls" || w.protocol === "h2-tls" ? { ca: w.ca } : null;
}

type Check = (label: string, fn: () => Promise<string[]>) => Promise<void>;

/** The contract's answers over HTTP/2: the same checks, each request a stream of one session. */
async function verifyH2(host: string, port: number, wire: Wire, bodyBytes: number, timeoutMs: number, check: Check): Promise<void> {
  const probe = tlsProbeOf(wire);
  const hello = Buffer.from("Hello, World!");
  await check(`GET /plaintext over ${wire.protocol}`, async () => {
    const [r] = await h2Exchange(host, port, probe, [{ method: "GET", path: "/plaintext", body: null }], timeoutMs);
    return checkResponse(r!, 200, "text/plain", hello);
  });
  for (const n of [0, 1024, bodyBytes]) {
    const body = randomBody(n);
    await check(`POST /echo (${n} B) over ${wire.protocol}`, async () => {
      const [r] = await h2Exchange(host, port, probe, [{ method: "POST", path: "/echo", body }], timeoutMs);
      return checkResponse(r!, 200, "application/octet-stream", body);
    });
  }
  await check(`GET /no-such-path over ${wire.protocol}`, async () => {
    const [r] = await h2Exchange(host, port, probe, [{ method: "GET", path: "/no-such-path", body: null }], timeoutMs);
    return checkResponse(r!, 404, "text/plain", Buffer.from("Not Found"));
  });
  await check(`4 concurrent streams GET /plaintext over ${wire.protocol}`, async () => {
    const reqs = Array.from({ length: 4 }, () => ({ method: "GET", path: "/plaintext", body: null }));
    const answers = await h2Exchange(host, port, probe, reqs, timeoutMs);
    return answers.flatMap((r) => checkResponse(r, 200, "text/plain", hello));
  });
}

/** Returns the list of problems; empty when the target answers as the contract says. */
export async function verifyTarget(
  def: TargetDef,
  host: string,
  port: number,
  mode: TargetMode,
  scenarioRequest: VerifyRequest,
  /** Per exchange; longer over a link that drops packets (src/topology/verify-timeout.ts). */
  timeoutMs = VERIFY_TIMEOUT_MS,
  wire: Wire = PLAIN_WIRE,
): Promise<string[]> {
  const problems: string[] = [];
  const check: Check = async (label, fn) => {
    try {
      problems.push(...(await fn()).map((p) => `${label}: ${p}`));
    } catch (e) {
      problems.push(`${label}: ${(e as Error).message}`);
    }
  };

  if (mode === "echo") {
    const msg = randomBody(1024);
    await check("echo of 1 KiB", async () => {
      const { raw } = await exchange(host, port, msg, 0, timeoutMs, msg.length);
      return raw.subarray(0, msg.length).equals(msg) ? [] : ["the bytes echoed differ from the bytes sent"];
    });
    return problems;
  }

  const asked = `${scenarioRequest.method} ${scenarioRequest.path.split("?")[0]}`;
  if (def.answers !== "contract" && !def.answers.includes(asked)) {
    return [`${def.name} answers only ${def.answers.join(", ")}, not ${asked}: it cannot run this scenario`];
  }
  if (!def.protocols.includes(wire.protocol))
    return [`${def.name} does not speak ${wire.protocol} (it speaks ${def.protocols.join(", ")})`];
  if (wire.protocol === "h2-tls" || wire.protocol === "h2c") {
    await verifyH2(host, port, wire, scenarioRequest.bodyBytes, timeoutMs, check);
    return problems;
  }
  const tp = tlsProbeOf(wire);

  const expectPlain = async (): Promise<string[]> => {
    const { responses } = await exchange(host, port, buildRequest("GET", "/plaintext", null), 1, timeoutMs, 0, tp);
    return checkResponse(responses[0]!, 200, "text/plain", Buffer.from("Hello, World!"));
  };
  await check("GET /plaintext", expectPlain);
  // handbook: a target listing POST /echo (the c-floor) has its echo checked too
  if (def.answers === "contract" || def.answers.includes("POST /echo")) {
    for (const n of [0, 1024, scenarioRequest.bodyBytes]) {
      const body = randomBody(n);
      await check(`POST /echo (${n} B)`, async () => {
        const { responses } = await exchange(host, port, buildRequest("POST", "/echo", body), 1, timeoutMs, 0, tp);
        return checkResponse(responses[0]!, 200, "application/octet-stream", body);
      });
    }
  }
  if (def.answers === "contract") {
    await check("GET /no-such-path", async () => {
      const { responses } = await exchange(host, port, buildRequest("GET", "/no-such-path", null), 1, timeoutMs, 0, tp);
      return checkResponse(responses[0]!, 404, "text/plain", Buffer.from("Not Found"));
    });
    await check("4 pipelined GET /plaintext", async () => {
      const one = buildRequest("GET", "/plaintext", null);
      const { responses } = await exchange(host, port, Buffer.concat([one, one, one, one]), 4, timeoutMs, 0, tp).catch(
        async (e: unknown) => {
          // handbook: keep-alives off (nethttp --keepalive=false) answers once with Connection: close and closes: HTTP allows it
          const first = await exchange(host, port, one, 1, timeoutMs, 0, tp);
          if (first.responses[0]?.headers.get("connection")?.toLowerCase() === "close") return first;
          throw e;
        },
      );
      return responses.flatMap((r) => checkResponse(r, 200, "text/plain", Buffer.from("Hello, World!")));
    });
  }
  return problems;
}

export function checkResponse(r: RawResponse, status: number, contentType: string, body: Buffer): string[] {
  const out: string[] = [];
  if (r.status !== status) out.push(`status ${r.status}, expected ${status}`);
  const ct = r.headers.get("content-type") ?? "";
  if (!ct.toLowerCase().startsWith(contentType)) out.push(`Content-Type "${ct}", expected ${contentType}`);
  if (!r.headers.has("date")) out.push("no Date header");
  if (r.headers.get("server") !== "evbench") out.push(`Server header "${r.headers.get("server") ?? ""}", expected evbench`);
  if (!r.headers.has("content-length") && r.headers.get("transfer-encoding") !== "chunked") {
    out.push("neither Content-Length nor chunked encoding");
  }
  if (!r.body.equals(body)) {
    out.push(
      `body of ${r.body.length} B differs from the expected ${body.length} B (${JSON.stringify(r.body.subarray(0, 40).toString("latin1"))})`,
    );
  }
  return out;
}
