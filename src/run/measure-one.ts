// One run: start the target, verify its answers, run the load with warm-up excluded, sample
// the target and the client over the measurement window, take the control channel's deltas,
// stop everything. Any failure becomes a recorded failed run; nothing escapes as a crash.
import os from "node:os";

import { encodeHistogram, latencySummary } from "../load/client-protocol.js";
import type { LoadGenerator, LoadResult, Progress } from "../load/types.js";
import { Background } from "../load/background.js";
import { GroupSampler, type WindowStats } from "../probe/sampler.js";
import type { Run } from "../results/schema.js";
import type { ResolvedVariant, Scenario, ScenarioTarget } from "../scenario/load.js";
import { TargetError } from "../targets/errors.js";
import { startTarget, type RunningTarget } from "../targets/process.js";
import type { TargetDef } from "../targets/registry.js";
import type { TargetStats } from "../targets/stats.js";
import { verifyTarget } from "../targets/verify.js";
import { loadSettingsFor, loadSpecFor } from "./load-spec.js";

export interface LiveLine {
  target: string;
  variant: string;
  rep: number;
  phase: Progress["phase"];
  elapsedS: number;
  rps: number;
  p99Us: number | null;
  rssBytes: number | null;
}

export interface MeasureOptions {
  scenario: Scenario;
  def: TargetDef;
  target: ScenarioTarget;
  variant: ResolvedVariant;
  rep: number;
  generator: LoadGenerator;
  host: string;
  onLive?: (l: LiveLine) => void;
}

export interface Measured {
  run: Run;
  versions: Record<string, string>;
}

/** A client whose CPU use reaches this share of what it may use is saturated. */
export const CLIENT_BOUND_SHARE = 0.95;

type RunKey = Pick<MeasureOptions, "scenario" | "target" | "variant" | "rep">;

function runBase(o: RunKey) {
  return { target: o.target.name, variant: o.variant.name, rep: o.rep, startedAt: new Date().toISOString(), load: loadSettingsFor(o.scenario, o.variant) };
}

export function skippedRun(o: RunKey, reason: string): Run {
  return { ...runBase(o), status: "skipped", reason };
}

export function failedRun(o: RunKey, failure: string): Run {
  return { ...runBase(o), status: "failed", failure };
}

function clientCapacityPct(s: Scenario, v: ResolvedVariant, generator: LoadGenerator): number {
  const threads = generator.name === "autocannon" ? 1 : v.load.threads;
  const cpus = s.cpus?.client.length ?? os.cpus().length;
  return Math.min(threads, cpus) * 100;
}

export async function measureOne(o: MeasureOptions): Promise<Measured> {
  const { scenario: s, def } = o;
  const startedAt = new Date().toISOString();
  let target: RunningTarget;
  try {
    target = await startTarget(def, {
      host: o.host,
      port: 0,
      threads: o.target.threads,
      mode: s.mode,
      env: o.variant.env,
      args: o.variant.args,
      cpus: s.cpus?.server ?? null,
      readyTimeoutMs: 20_000,
    });
  } catch (e) {
    return { run: failedRun(o, `start: ${(e as Error).message}`), versions: {} };
  }

  const serverSampler = new GroupSampler(target.pid);
  let clientSampler: GroupSampler | null = null;
  let background: Background | null = null; // handbook: clients beside the load, if the variant asks
  try {
    const problems = await verifyTarget(def, o.host, target.port, s.mode, o.variant.load);
    if (problems.length > 0) {
      return { run: failedRun(o, `verification: ${problems.join("; ")}`), versions: {} };
    }
    const first = await target.stats();
    serverSampler.start();
    if (o.variant.background) background = await Background.start(o.variant.background, o.host, target.port); // handbook

    let statsStart: Promise<TargetStats> | null = null;
    let statsEnd: Promise<TargetStats> | null = null;
    let serverWindow: WindowStats | null = null;
    let clientWindow: WindowStats | null = null;
    let clientPid = -1;
    let lastProgress: { t: number; requests: number; phase: Progress["phase"] } | null = null;

    const spec = loadSpecFor(s, o.variant, o.host, target.port);
    const load = o.generator.run(spec, {
      onClientPid: (pid) => {
        clientPid = pid;
        clientSampler = new GroupSampler(pid);
        clientSampler.start();
      },
      onMeasureStart: () => {
        serverSampler.windowStart();
        clientSampler?.windowStart();
        background?.windowStart(); // handbook
        statsStart = target.stats();
        statsStart.catch(() => {});
      },
      onMeasureEnd: () => {
        serverWindow = serverSampler.windowEnd();
        clientWindow = clientSampler?.windowEnd() ?? null;
        background?.windowEnd(); // handbook
        statsEnd = target.stats();
        statsEnd.catch(() => {});
      },
      onProgress: (p) => {
        // Rate since the previous progress line of the same phase; the first one of a phase
        // covers the phase so far.
        const now = performance.now();
        const same = lastProgress !== null && lastProgress.phase === p.phase && p.requests >= lastProgress.requests;
        const rps = same
          ? ((p.requests - lastProgress!.requests) * 1000) / Math.max(1, now - lastProgress!.t)
          : p.elapsedS > 0
            ? p.requests / p.elapsedS
            : 0;
        lastProgress = { t: now, requests: p.requests, phase: p.phase };
        o.onLive?.({
          target: def.name,
          variant: o.variant.name,
          rep: o.rep,
          phase: p.phase,
          elapsedS: p.elapsedS,
          rps,
          p99Us: p.p99Us ?? null,
          rssBytes: serverSampler.lastRss(),
        });
      },
    });
    // A target that dies mid-run ends the run: the client is killed and the failure recorded.
    const died = target.exited.then((e) => {
      if (clientPid > 0) {
        try {
          process.kill(-clientPid, "SIGKILL");
        } catch {
          // gone
        }
      }
      throw new TargetError(
        `${def.name} died during the load (${e.signal ? `killed by ${e.signal}` : `exit code ${e.code}`})${target.stderrTail() ? `; its stderr:\n${target.stderrTail()}` : ""}`,
      );
    });
    let result: LoadResult;
    try {
      result = await Promise.race([load, died]);
    } catch (e) {
      if (target.hasExited()) {
        // the race may be won by the client's own failure report: name the real cause
        const cause = await died.catch((d: Error) => d.message);
        return { run: failedRun(o, cause), versions: first.versions };
      }
      return { run: failedRun(o, `load: ${(e as Error).message}`), versions: first.versions };
    }
    if (!serverWindow || !statsStart || !statsEnd) {
      return { run: failedRun(o, "load: the generator never opened a measurement window"), versions: first.versions };
    }
    const [a, b] = await Promise.all([statsStart as Promise<TargetStats>, statsEnd as Promise<TargetStats>]);
    const sw = serverWindow as WindowStats;
    const cw = clientWindow as WindowStats | null;
    const windowS = sw.wallS;
    const rps = result.rps;
    const gcCycles = b.gcCycles - a.gcCycles;
    const delta = (x: number | null, y: number | null) => (x === null || y === null ? null : y - x);
    const allocBytes = delta(a.allocBytes, b.allocBytes);
    const allocObjects = delta(a.allocObjects, b.allocObjects);
    const counted = delta(a.requests, b.requests);
    const clientCpu = cw?.cpuPct ?? 0;
    const h = result.latency;
    const run: Run = {
      target: def.name,
      variant: o.variant.name,
      rep: o.rep,
      startedAt,
      load: loadSettingsFor(s, o.variant),
      status: "ok",
      requests: result.requests,
      durationS: result.durationS,
      rps,
      latencyUs: latencySummary(h),
      latencyHdr: encodeHistogram(h),
      ...(result.intervals ? { intervalsHdr: result.intervals.map((i) => encodeHistogram(i.histogram)) } : {}),
      errors: result.errors,
      statusClasses: result.status,
      perSecond: result.perSecond,
      server: {
        rssPeakBytes: sw.rssPeakBytes,
        rssMeanBytes: sw.rssMeanBytes,
        rssSwingBytes: sw.rssSwingBytes, // handbook
        rssStdBytes: sw.rssStdBytes, // handbook
        cpuPct: sw.cpuPct,
        reqPerCpuSec: sw.cpuPct > 0 ? rps / (sw.cpuPct / 100) : null,
        gcCycles,
        gcPerSec: windowS > 0 ? gcCycles / windowS : null,
        gcPauseMs: (b.gcPauseNs - a.gcPauseNs) / 1e6,
        allocBytesPerReq: allocBytes !== null && result.requests > 0 ? allocBytes / result.requests : null,
        allocObjectsPerReq: allocObjects !== null && result.requests > 0 ? allocObjects / result.requests : null,
        requestsCounted: counted,
        cpus: s.cpus?.server ?? null,
      },
      client: {
        cpuPct: clientCpu,
        reqPerCpuSec: clientCpu > 0 ? rps / (clientCpu / 100) : null,
        clientBound: clientCpu >= CLIENT_BOUND_SHARE * clientCapacityPct(s, o.variant, o.generator),
        cpus: s.cpus?.client ?? null,
      },
      background: background ? (background as Background).summary() : null, // handbook
      targetExtra: { atWindowStart: a.extra, atWindowEnd: b.extra }, // handbook
    };
    return { run, versions: first.versions };
  } catch (e) {
    return { run: failedRun(o, (e as Error).message), versions: {} };
  } finally {
    (background as Background | null)?.stop(); // handbook
    serverSampler.stop();
    (clientSampler as GroupSampler | null)?.stop();
    await target.stop();
  }
}
