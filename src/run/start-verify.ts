// The first part of a run and of every sweep repetition: start the target, verify its answers
// byte for byte (from the client's side of the link over a topology), read its counters once
// (their versions name what runs). A failure here is a reason, and the target is stopped.
import { startTarget, type RunningTarget } from "../targets/process.js";
import { verifyTarget, type Wire } from "../targets/verify.js";
import { isTls } from "../model/index.js";
import { protocolArgs } from "../tls/target-args.js";
import { readFileSync } from "node:fs";
import { startAndVerifyUser } from "./start-user.js";
import type { StartSpec, Started } from "./start-spec.js";

export type { StartSpec, Started } from "./start-spec.js";

const READY_TIMEOUT_MS = 20_000;

export async function startAndVerify(o: StartSpec): Promise<Started> {
  if (o.def.user) return startAndVerifyUser(o, o.def.user); // the user's own server (issue 23)
  const why = o.def.unavailableReason();
  if (why) return { failure: `unavailable: ${why}` };
  const protocol = o.protocol ?? "h1";
  let target: RunningTarget;
  let wire: Wire;
  try {
    // The contract's protocol flags after the variant's own, and the CA the answers must chain to.
    const args = [...o.args, ...protocolArgs(protocol, o.tls ?? null)];
    wire = { protocol, ca: isTls(protocol) && o.tls?.ca ? readFileSync(o.tls.ca) : null };
    if (o.link !== undefined) await o.topology?.setLink(o.link);
    target = await startTarget(o.def, {
      host: o.host,
      port: 0,
      threads: o.threads,
      mode: o.mode,
      env: o.env,
      args,
      cpus: o.cpus,
      readyTimeoutMs: READY_TIMEOUT_MS,
      place: o.topology?.serverPlace,
    });
  } catch (e) {
    return { failure: `start: ${(e as Error).message}` };
  }
  try {
    const problems = o.topology
      ? await o.topology.verify(o.def, target.port, o.mode, o.request, wire)
      : await verifyTarget(o.def, o.host, target.port, o.mode, o.request, undefined, wire);
    if (problems.length > 0) {
      await target.stop();
      return { failure: `verification: ${problems.join("; ")}` };
    }
    const first = await target.stats();
    return { target, versions: first.versions };
  } catch (e) {
    await target.stop();
    return { failure: (e as Error).message };
  }
}
