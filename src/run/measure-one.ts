// One run: start the target and verify its answers, measure the window (load with warm-up
// excluded; target and client sampled; the control channel's deltas), build the run with its
// verdict, stop everything. Any failure becomes a recorded failed run; nothing escapes as a crash.
import { protocolOfLoad, type Run } from "../model/index.js";
import { buildRun } from "./build-run.js";
import { loadSettingsFor } from "./load-spec.js";
import { measureWindow } from "./window.js";
import { INTERRUPTED, type MeasureOptions } from "./measure-options.js";
import { startAndVerify } from "./start-verify.js";

export { INTERRUPTED, type LiveLine, type MeasureOptions } from "./measure-options.js";

export interface Measured {
  run: Run;
  versions: Record<string, string>;
}

type RunKey = Pick<MeasureOptions, "scenario" | "target" | "variant" | "rep">;

function runBase(o: RunKey) {
  return {
    target: o.target.name,
    variant: o.variant.name,
    rep: o.rep,
    startedAt: new Date().toISOString(),
    load: loadSettingsFor(o.scenario, o.variant),
  };
}

export function skippedRun(o: RunKey, reason: string): Run {
  return { ...runBase(o), status: "skipped", reason };
}

export function failedRun(o: RunKey, failure: string): Run {
  return { ...runBase(o), status: "failed", failure };
}

export async function measureOne(o: MeasureOptions): Promise<Measured> {
  if (o.signal?.aborted) return { run: failedRun(o, INTERRUPTED), versions: {} };
  const startedAt = new Date().toISOString();
  const started = await startAndVerify({
    def: o.def,
    host: o.host,
    threads: o.target.threads,
    mode: o.scenario.mode,
    env: o.variant.env,
    args: o.variant.args,
    cpus: o.scenario.cpus?.server ?? null,
    request: o.variant.load,
    topology: o.topology,
    link: o.variant.link,
    windowS: o.scenario.durationS,
    protocol: protocolOfLoad(o.variant.load),
    tls: o.tls ?? null,
  });
  if ("failure" in started) return { run: failedRun(o, o.signal?.aborted ? INTERRUPTED : started.failure), versions: {} };
  const { target, versions } = started;
  try {
    const w = await measureWindow(o, target);
    if ("failure" in w) return { run: failedRun(o, w.failure), versions };
    return { run: buildRun(o, startedAt, w), versions };
  } catch (e) {
    return { run: failedRun(o, o.signal?.aborted ? INTERRUPTED : (e as Error).message), versions };
  } finally {
    await target.stop();
  }
}
