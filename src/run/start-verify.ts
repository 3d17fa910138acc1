// The first part of a run and of every sweep repetition: start the target, verify its answers
// byte for byte (from the client's side of the link over a topology), read its counters once
// (their versions name what runs). A failure here is a reason, and the target is stopped.
import type { LinkSection, Mode } from "../model/index.js";
import { startTarget, type RunningTarget } from "../targets/process.js";
import type { TargetDef } from "../targets/registry.js";
import { verifyTarget, type VerifyRequest } from "../targets/verify.js";
import type { Topology } from "../topology/types.js";

export type Started = { target: RunningTarget; versions: Record<string, string> } | { failure: string };

export interface StartSpec {
  def: TargetDef;
  host: string;
  threads: number;
  mode: Mode;
  env: Record<string, string>;
  args: string[];
  /** The server's pinned CPUs (null: not pinned). */
  cpus: number[] | null;
  /** The request the answers are verified with. */
  request: VerifyRequest;
  topology?: Topology;
  /** This variant's link (netns), set before the target starts. */
  link?: LinkSection | null;
}

const READY_TIMEOUT_MS = 20_000;

export async function startAndVerify(o: StartSpec): Promise<Started> {
  const why = o.def.unavailableReason();
  if (why) return { failure: `unavailable: ${why}` };
  let target: RunningTarget;
  try {
    if (o.link !== undefined) await o.topology?.setLink(o.link);
    target = await startTarget(o.def, {
      host: o.host, port: 0, threads: o.threads, mode: o.mode, env: o.env, args: o.args, cpus: o.cpus, readyTimeoutMs: READY_TIMEOUT_MS, place: o.topology?.serverPlace,
    });
  } catch (e) {
    return { failure: `start: ${(e as Error).message}` };
  }
  try {
    const problems = o.topology ? await o.topology.verify(o.def, target.port, o.mode, o.request) : await verifyTarget(o.def, o.host, target.port, o.mode, o.request);
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
