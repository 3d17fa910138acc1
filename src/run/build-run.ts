// The last part of a run: the recorded run from what the window measured, with its verdict.
import os from "node:os";

import { encodeHistogram, latencySummary } from "../load/client-protocol.js";
import type { RunOk, ServerMetrics } from "../model/index.js";
import { networkReasons } from "../verdict/index.js";
import { PROFILED_REASON } from "../profile/take.js";
import { allotmentPct, clientAllotmentOf, runVerdict, verdictOf } from "../verdict/index.js";
import { slowPhaseReasons } from "../verdict/slow-phase.js";
import { plausibilityReasons } from "../verdict/plausibility.js";
import { edgeSlackRequests } from "../window/edge-timing.js";
import { loadSettingsFor } from "./load-spec.js";
import type { MeasureOptions } from "./measure-options.js";
import type { WindowOutcome } from "./window.js";

const delta = (x: number | null, y: number | null) => (x === null || y === null ? null : y - x);

function serverMetrics(o: MeasureOptions, w: WindowOutcome): ServerMetrics {
  const { server: sw, statsStart: a, statsEnd: b, result } = w;
  // A user's server without a GC source at either edge (src/targets/runtime-stats.ts): GC figures missing, not 0.
  const gcKnown = a.runtime !== "unknown" && b.runtime !== "unknown";
  const gcCycles = gcKnown ? b.gcCycles - a.gcCycles : null;
  const allocBytes = delta(a.allocBytes, b.allocBytes);
  const allocObjects = delta(a.allocObjects, b.allocObjects);
  const perReq = (x: number | null) => (x !== null && result.requests > 0 ? x / result.requests : null);
  return {
    rssPeakBytes: sw.rssPeakBytes,
    rssMeanBytes: sw.rssMeanBytes,
    rssSwingBytes: sw.rssSwingBytes,
    rssStdBytes: sw.rssStdBytes,
    cpuPct: sw.cpuPct,
    reqPerCpuSec: sw.cpuPct > 0 ? result.rps / (sw.cpuPct / 100) : null,
    gcCycles,
    gcPerSec: gcCycles !== null && sw.wallS > 0 ? gcCycles / sw.wallS : null,
    gcPauseMs: gcKnown ? (b.gcPauseNs - a.gcPauseNs) / 1e6 : null,
    allocBytesPerReq: perReq(allocBytes),
    allocObjectsPerReq: perReq(allocObjects),
    requestsCounted: delta(a.requests, b.requests),
    cpus: o.scenario.cpus?.server ?? null,
  };
}

export function buildRun(o: MeasureOptions, startedAt: string, w: WindowOutcome): RunOk {
  const s = o.scenario;
  const r = w.result;
  const cores = os.cpus().length;
  const load = { ...loadSettingsFor(s, o.variant), latencyFrom: r.latencyFrom };
  const server = serverMetrics(o, w);
  const clientCpu = w.client?.cpuPct ?? 0;
  const clientAllotment = clientAllotmentOf(load, s.cpus?.client ?? null, cores);
  const measured = runVerdict({
    requests: r.requests,
    errors: r.errors,
    statusClasses: r.status,
    rps: r.rps,
    rate: load.rate,
    sent: r.sent,
    unfinished: r.unfinished,
    // In echo mode the server counts bytes, not requests. Over ssh the target's counters travel on
    // another channel than the clients' window edges (and several client hosts open and close the
    // window at different instants), so its count covers another window: no cross-check there.
    serverCounted: load.echo || o.topology?.kind === "ssh" ? null : server.requestsCounted,
    inFlight: load.connections * load.pipeline,
    connectionsAsked: load.connections,
    connectionsOpened: r.connect?.firstOpened ?? null,
    edgeSlack: edgeSlackRequests(r.rps, w.statsEdgeMs),
    clientCpuPct: clientCpu,
    clientAllotmentPct: clientAllotment,
    serverCpuPct: server.cpuPct,
    serverAllotmentPct: allotmentPct(o.target.threads, s.cpus?.server.length ?? cores),
    cpuNoise: w.cpuNoise,
    linkReasons: networkReasons({ requests: r.requests, load, network: w.network ?? undefined, kernel: w.kernel }),
  });
  // A profiled window's numbers carry the profiler's cost (bench --profile).
  const sampled = w.answers
    ? plausibilityReasons({ start: w.answers.start, end: w.answers.end, answers: r.requests, bytesRead: r.bytesRead })
    : [];
  const judged = verdictOf([...measured.reasons, ...slowPhaseReasons(w.speed), ...sampled]);
  const verdict = w.profile?.format ? verdictOf([...judged.reasons, PROFILED_REASON]) : judged;
  return {
    target: o.def.name,
    variant: o.variant.name,
    rep: o.rep,
    startedAt,
    load,
    status: "ok",
    requests: r.requests,
    durationS: r.durationS,
    rps: r.rps,
    latencyUs: latencySummary(r.latency),
    latencyHdr: encodeHistogram(r.latency),
    ...(r.intervals ? { intervalsHdr: r.intervals.map((i) => encodeHistogram(i.histogram)) } : {}),
    errors: r.errors,
    statusClasses: r.status,
    perSecond: r.perSecond,
    server,
    client: {
      cpuPct: clientCpu,
      reqPerCpuSec: clientCpu > 0 ? r.rps / (clientCpu / 100) : null,
      // Judged from both sides (the verdict's rule): the client saturated, the server not.
      clientBound: verdict.reasons.some((x) => x.kind === "clientBound"),
      cpus: s.cpus?.client ?? null,
    },
    verdict,
    sent: r.sent,
    answered: r.answered,
    failed: r.failed,
    unfinished: r.unfinished,
    cpuNoise: w.cpuNoise,
    ...(w.speed ? { speed: w.speed } : {}),
    background: w.background,
    ...(w.network ? { network: w.network } : {}),
    targetExtra: { atWindowStart: w.statsStart.extra, atWindowEnd: w.statsEnd.extra },
    ...(w.profile ? { profile: w.profile } : {}),
    ...(w.kernel ? { kernel: w.kernel } : {}),
  };
}
