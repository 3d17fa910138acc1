// The first part of a run for a user's server: start it (or attach to its URL), wait until it
// is ready, verify its answers (src/targets/user-verify.ts), read its counters once.
import type { RunningTarget } from "../targets/process.js";
import type { PreparedUser } from "../targets/user-prepare.js";
import { startUserProcess } from "../targets/user-process.js";
import { attachUserUrl } from "../targets/user-url.js";
import { verifyUserTarget } from "../targets/user-verify.js";
import type { StartSpec, Started } from "./start-spec.js";

export async function startAndVerifyUser(o: StartSpec, u: PreparedUser): Promise<Started> {
  if (o.topology && o.topology.kind !== "local")
    return { failure: `start: a user target runs only with the local topology (this run: ${o.topology.kind})` };
  let target: RunningTarget;
  try {
    target =
      u.kind === "url"
        ? await attachUserUrl(u, o.def.name, o.windowS)
        : await startUserProcess(u, { name: o.def.name, host: o.host, env: o.env, args: o.args, cpus: o.cpus, windowS: o.windowS });
  } catch (e) {
    return { failure: `start: ${(e as Error).message}` };
  }
  try {
    const host = u.kind === "url" ? u.host : o.host;
    const { problems } = await verifyUserTarget(host, target.port, o.request, u.common.check);
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
