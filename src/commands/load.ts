// `load <url>`: a generator as a standalone tool, like wrk or autocannon. The client's own CPU
// is sampled too, so its cost per request is printed beside its throughput.
import { BadInputError } from "../errors.js";
import { latencySummary } from "../load/client-protocol.js";
import { GENERATORS } from "../load/registry.js";
import type { GeneratorName, LoadResult, LoadSpec } from "../load/types.js";
import { runLoad } from "../load/run-load.js";
import type { WindowStats } from "../probe/sampler.js";
import type { ServerCpu } from "../probe/thread-window.js";
import type { Verdict } from "../results/schema.js";
import { fmtCount, fmtUs } from "../ui/format.js";

export interface LoadOptions {
  url: string;
  connections: number;
  threads: number;
  durationS: number;
  warmupS: number;
  rate: number | null;
  pipeline: number;
  method: string;
  bodyBytes: number;
  keepAlive: boolean;
  fastOpen: boolean;
  timeoutMs: number;
  cpus: number[] | null;
  generator: GeneratorName;
  json: boolean;
}

export function specFromUrl(o: LoadOptions): LoadSpec {
  let u: URL;
  try {
    u = new URL(o.url);
  } catch {
    throw new BadInputError(`<url>: "${o.url}" is not a URL; expected e.g. http://127.0.0.1:8080/plaintext`);
  }
  if (u.protocol !== "http:") throw new BadInputError(`<url>: only http:// is supported, got ${u.protocol}`);
  const host = u.hostname.replace(/^\[|\]$/g, "");
  return {
    host,
    port: Number(u.port || 80),
    connections: o.connections,
    threads: o.threads,
    pipeline: o.pipeline,
    rate: o.rate,
    keepAlive: o.keepAlive,
    fastOpen: o.fastOpen,
    method: o.method,
    path: `${u.pathname}${u.search}`,
    headers: {},
    bodyBytes: o.bodyBytes,
    echo: false,
    warmupS: o.warmupS,
    durationS: o.durationS,
    timeoutMs: o.timeoutMs,
    cpus: o.cpus,
  };
}

export function loadJson(r: LoadResult, client: WindowStats | null, verdict: Verdict, server: ServerCpu | null = null) {
  return {
    verdict,
    server,
    sent: r.sent,
    unfinished: r.unfinished,
    latencyFrom: r.latencyFrom,
    generator: r.generator,
    rps: r.rps,
    requests: r.requests,
    durationS: r.durationS,
    bytesRead: r.bytesRead,
    latencyUs: latencySummary(r.latency),
    errors: r.errors,
    status: r.status,
    perSecond: r.perSecond,
    client: client
      ? { cpuPct: client.cpuPct, reqPerCpuSec: client.cpuPct > 0 ? r.rps / (client.cpuPct / 100) : null }
      : null,
  };
}

export async function loadCommand(o: LoadOptions): Promise<{ text: string; exitCode: number }> {
  const spec = specFromUrl(o);
  const gen = GENERATORS[o.generator];
  const why = await gen.unavailableReason();
  if (why) return { text: `${gen.name} is unavailable: ${why}`, exitCode: 1 };
  const { result: r, client: window, verdict, server } = await runLoad(gen, spec);
  const j = loadJson(r, window, verdict, server);
  const exitCode = verdict.verdict === "invalid" ? 1 : 0;
  if (o.json) return { text: JSON.stringify(j), exitCode };
  const e = r.errors;
  const timing = spec.rate ? (r.latencyFrom === "intended-send" ? "latency from intended send time" : "latency from actual send time: not corrected for coordinated omission") : "closed loop";
  const lines = [
    `${gen.name}: ${spec.connections} connections, ${spec.threads} thread(s), pipeline ${spec.pipeline}, ${spec.rate ? `${spec.rate} req/s open loop (${timing})` : timing}, ${spec.durationS}s after ${spec.warmupS}s warm-up`,
    `  requests   ${j.requests} in ${j.durationS.toFixed(2)}s = ${fmtCount(j.rps)} req/s`,
    `  latency    p50 ${fmtUs(j.latencyUs.p50)}  p90 ${fmtUs(j.latencyUs.p90)}  p99 ${fmtUs(j.latencyUs.p99)}  p99.9 ${fmtUs(j.latencyUs.p999)}  max ${fmtUs(j.latencyUs.max)}  mean ${fmtUs(j.latencyUs.mean)}`,
    `  errors     connect ${e.connect}, reset ${e.reset}, timeout ${e.timeout}, bad response ${e.badResponse}, non-2xx ${e.status}`,
    j.client ? `  client CPU ${j.client.cpuPct.toFixed(0)}% (${j.client.reqPerCpuSec ? fmtCount(j.client.reqPerCpuSec) : "-"} req per client CPU-second)` : "",
    server ? `  server CPU ${server.cpuPct.toFixed(0)}% of its ${server.allotmentPct}% (the local process listening on port ${spec.port})` : "",
    r.sent !== null ? `  accounting sent ${r.sent}, unfinished ${r.unfinished ?? "-"}` : "",
    `  verdict    ${verdict.verdict}${verdict.reasons.map((x) => `\n    ${x.kind}: ${x.message}`).join("")}`,
  ];
  return { text: lines.filter(Boolean).join("\n"), exitCode };
}
