// The autocannon client process: `node dist/bin/autocannon-client.js`, its LoadSpec on stdin (src/load/spec-pipe.ts).
// Runs a warm-up pass (discarded), then the measurement pass, and records every response's
// latency into an hdr-histogram-js histogram in microseconds, as every generator does.
// autocannon has no coordinated-omission correction: with a rate its latencies are from the
// actual send time, which the result says.
import autocannon from "autocannon";

import { emit, encodeHistogram, newLatencyHistogram } from "../load/client-protocol.js";
import { emptyErrors, type LoadSpec } from "../load/types.js";
import { exitWithParent } from "../load/watchdog.js";
import { receiveSpec } from "../load/spec-pipe.js";

function options(spec: LoadSpec, durationS: number): autocannon.Options {
  const body = spec.bodyBytes > 0 ? Buffer.alloc(spec.bodyBytes, 0x61) : undefined;
  const headers: Record<string, string> = { ...spec.headers };
  if (!spec.keepAlive) headers["connection"] = "close";
  const o: autocannon.Options = {
    url: `http://${spec.host}:${spec.port}${spec.path}`,
    connections: spec.connections,
    pipelining: spec.pipeline,
    duration: durationS,
    method: spec.method as autocannon.Request["method"],
    headers,
    timeout: Math.max(1, Math.ceil(spec.timeoutMs / 1000)),
  };
  if (body) o.body = body;
  if (spec.rate !== null) o.overallRate = spec.rate;
  return o;
}

async function pass(spec: LoadSpec, durationS: number, measure: boolean) {
  const hist = newLatencyHistogram();
  const errors = emptyErrors();
  const status: Record<string, number> = {};
  const perSecond: number[] = [];
  let requests = 0;
  let bytesRead = 0;
  const t0 = performance.now();
  let done: (r: autocannon.Result) => void = () => {};
  let fail: (e: Error) => void = () => {};
  const finished = new Promise<autocannon.Result>((res, rej) => ((done = res), (fail = rej)));
  // The callback form returns the instance, whose events carry every response.
  const inst = autocannon(options(spec, durationS), (err, res) => (err ? fail(err) : done(res)));
  inst.on("response", (_client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => {
    if (!measure) return;
    requests++;
    bytesRead += resBytes;
    hist.recordValue(Math.max(1, Math.round(responseTimeMs * 1000)));
    const cls = `${Math.floor(statusCode / 100)}xx`;
    status[cls] = (status[cls] ?? 0) + 1;
    if (statusCode < 200 || statusCode >= 300) errors.status++;
    const sec = Math.floor((performance.now() - t0) / 1000);
    while (perSecond.length <= sec) perSecond.push(0);
    perSecond[sec]!++;
  });
  inst.on("reqError", (err: NodeJS.ErrnoException) => {
    if (!measure) return;
    if (err.code === "ECONNREFUSED") errors.connect++;
    else if (err.code === "ECONNRESET" || err.code === "EPIPE") errors.reset++;
    else errors.badResponse++;
  });
  const progress = setInterval(() => {
    emit({
      type: "progress",
      phase: measure ? "measure" : "warmup",
      elapsedS: (performance.now() - t0) / 1000,
      requests,
      errors: errors.connect + errors.reset + errors.timeout + errors.badResponse,
      p99Us: requests > 0 ? hist.getValueAtPercentile(99) : null,
    });
  }, 1000);
  const result = await finished;
  clearInterval(progress);
  const elapsed = (performance.now() - t0) / 1000;
  if (measure) errors.timeout += result.timeouts;
  return { hist, errors, status, perSecond: perSecond.slice(0, Math.floor(elapsed)), requests, bytesRead, elapsed };
}

async function main(): Promise<void> {
  const spec = (await receiveSpec()) as unknown as LoadSpec;
  const watch = exitWithParent();
  if (spec.warmupS > 0) await pass(spec, spec.warmupS, false);
  emit({ type: "measure-start" });
  const m = await pass(spec, spec.durationS, true);
  emit({ type: "measure-end" });
  emit({
    type: "result",
    result: {
      generator: "autocannon",
      requests: m.requests,
      bytesRead: m.bytesRead,
      durationS: m.elapsed,
      errors: m.errors,
      status: m.status,
      latencyHdr: encodeHistogram(m.hist),
      perSecond: m.perSecond,
      // autocannon keeps no count of requests written, and its --rate has no coordinated-omission
      // correction: latency is from the actual send, whatever the rate.
      sent: null,
      answered: null,
      failed: null,
      unfinished: null,
      latencyFrom: "send",
    },
  });
  watch.release();
}

main().catch((e: unknown) => {
  emit({ type: "error", message: e instanceof Error ? e.message : String(e) });
  process.exit(1);
});
