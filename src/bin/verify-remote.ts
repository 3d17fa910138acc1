// Runs the byte-level verification of a target from the client's place (inside the client's
// namespace, or on a client host over ssh) and prints the problems as one JSON line.
//   node dist/bin/verify-remote.js '{"target":"native","host":"10.203.0.1","port":8080,"mode":"http","request":{...}}'
import { findTarget } from "../targets/registry.js";
import type { TargetMode } from "../targets/registry.js";
import { verifyTarget, type VerifyRequest } from "../targets/verify.js";

interface Ask {
  target: string;
  host: string;
  port: number;
  mode: TargetMode;
  request: VerifyRequest;
  /** Per exchange (absent from an older harness: the default). */
  timeoutMs?: number;
}

async function main(): Promise<void> {
  const ask = JSON.parse(process.argv[2] ?? "{}") as Ask;
  const def = findTarget(ask.target);
  const problems = def
    ? await verifyTarget(def, ask.host, ask.port, ask.mode, ask.request, ask.timeoutMs)
    : [`no target named ${ask.target} is registered here`];
  process.stdout.write(JSON.stringify(problems) + "\n");
}

void main();
