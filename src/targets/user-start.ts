// The first part of a run for a user's server: start it (or attach to its URL), wait until it
// is ready, verify its answers (src/targets/user-verify.ts), read its counters once.
import type { MeasureOptions } from "../run/measure-one.js";
import type { Started } from "../run/start-verify.js";
import type { RunningTarget } from "./process.js";
import type { PreparedUser } from "./user-prepare.js";
import { startUserProcess } from "./user-process.js";
import { attachUserUrl } from "./user-url.js";
import { verifyUserTarget } from "./user-verify.js";

export async function startAndVerifyUser(o: MeasureOptions, u: PreparedUser): Promise<Started> {
  const s = o.scenario;
  if (o.topology && o.topology.kind !== "local") return { failure: `start: a user target runs only with the local topology (this run: ${o.topology.kind})` };
  let target: RunningTarget;
  try {
    target =
      u.kind === "url"
        ? await attachUserUrl(u, o.def.name, s.durationS)
        : await startUserProcess(u, { name: o.def.name, host: o.host, env: o.variant.env, args: o.variant.args, cpus: s.cpus?.server ?? null, windowS: s.durationS });
  } catch (e) {
    return { failure: `start: ${(e as Error).message}` };
  }
  try {
    const host = u.kind === "url" ? u.host : o.host;
    const { problems } = await verifyUserTarget(host, target.port, o.variant.load, u.common.check);
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
