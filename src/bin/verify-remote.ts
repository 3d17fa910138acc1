// Runs the byte-level verification of a target from the client's place (inside the client's
// namespace, or on a client host over ssh) and prints the problems as one JSON line.
//   node dist/bin/verify-remote.js '{"target":"native","host":"10.203.0.1","port":8080,"mode":"http","request":{...}}'
import { findTarget } from "../targets/registry.js";
import type { TargetMode } from "../targets/registry.js";
import type { Protocol } from "../model/index.js";
import { PLAIN_WIRE, verifyTarget, type VerifyRequest, type Wire } from "../targets/verify.js";

interface Ask {
  target: string;
  host: string;
  port: number;
  mode: TargetMode;
  request: VerifyRequest;
  /** Per exchange (absent from an older harness: the default). */
  timeoutMs?: number;
  /** The protocol and the CA (base64 PEM) to verify over (absent: plain HTTP/1.1). */
  wire?: { protocol: Protocol; ca: string | null };
}

function wireOf(a: Ask): Wire {
  if (a.wire === undefined) return PLAIN_WIRE;
  return { protocol: a.wire.protocol, ca: a.wire.ca !== null ? Buffer.from(a.wire.ca, "base64") : null };
}

async function main(): Promise<void> {
  const ask = JSON.parse(process.argv[2] ?? "{}") as Ask;
  const def = findTarget(ask.target);
  const problems = def
    ? await verifyTarget(def, ask.host, ask.port, ask.mode, ask.request, ask.timeoutMs, wireOf(ask))
    : [`no target named ${ask.target} is registered here`];
  process.stdout.write(JSON.stringify(problems) + "\n");
}

void main();
