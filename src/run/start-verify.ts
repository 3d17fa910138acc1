// The first part of a run: start the target, verify its answers byte for byte, read its counters
// once (their versions name what runs). A failure here is a reason, and the target is stopped.
import { startTarget, type RunningTarget } from "../targets/process.js";
import { verifyTarget } from "../targets/verify.js";
import { startAndVerifyUser } from "../targets/user-start.js";
import type { MeasureOptions } from "./measure-one.js";

export type Started = { target: RunningTarget; versions: Record<string, string> } | { failure: string };

const READY_TIMEOUT_MS = 20_000;

export async function startAndVerify(o: MeasureOptions): Promise<Started> {
  if (o.def.user) return startAndVerifyUser(o, o.def.user); // the user's own server (issue 23)
  const s = o.scenario;
  let target: RunningTarget;
  try {
    await o.topology?.setLink(o.variant.link); // this variant's link (netns)
    target = await startTarget(o.def, {
      host: o.host,
      port: 0,
      threads: o.target.threads,
      mode: s.mode,
      env: o.variant.env,
      args: o.variant.args,
      cpus: s.cpus?.server ?? null,
      readyTimeoutMs: READY_TIMEOUT_MS,
      place: o.topology?.serverPlace,
    });
  } catch (e) {
    return { failure: `start: ${(e as Error).message}` };
  }
  try {
    // Over a topology the answers are checked from the client's side of the link.
    const problems = o.topology ? await o.topology.verify(o.def, target.port, s.mode, o.variant.load) : await verifyTarget(o.def, o.host, target.port, s.mode, o.variant.load);
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
