// The native client process: `node dist/bin/native-client.js`, its LoadSpec on stdin (src/load/spec-pipe.ts).
// A load with more connections than one process may hold runs as several of these
// (src/load/native-processes.ts), each given its share on its own stdin the same way.
// Runs the addon's LoadGen (its threads do the work; this thread only polls counters about ten
// times a second), relays the phase changes, then records the native histogram's buckets into
// an hdr-histogram-js histogram so that percentiles mean what they mean for every generator.
// First, in a group of its own (a sorter must not move it): signals during start-up are kept.
import { onStop, releaseStop } from "../load/early-stop.js";

import { fileURLToPath } from "node:url";

import { emit, encodeHistogram, newLatencyHistogram } from "../load/client-protocol.js";
import {
  createLoadGen,
  type NativeBuckets,
  type NativeConnect,
  type NativeLoadGen,
  type NativeLoadResult,
  type NativeProgress,
  type NativeTls,
} from "../load/native-addon.js";
import { runProcesses } from "../load/native-processes.js";
import { processesFor, splitSpec, type NativeSpec } from "../load/native-split.js";
import { generatorMemory, selfRssBytes } from "../load/self-memory.js";
import { receiveSpec } from "../load/spec-pipe.js";
import type { Progress } from "../load/types.js";
import { exitWithParent } from "../load/watchdog.js";

// Phase changes are polled often, so the runner's probe windows open and close within a few
// milliseconds of the generator's own window; progress lines go out about ten times a second.
const POLL_MS = 10;
const PROGRESS_EVERY = 10;

function toHdr(l: NativeBuckets) {
  const h = newLatencyHistogram();
  for (let i = 0; i < l.valuesUs.length; i++) {
    // A bucket's representative is within 1/256 of every value in it; the hdr histogram is
    // integer microseconds from 1 us, so sub-microsecond buckets land on 1.
    h.recordValueWithCount(Math.max(1, Math.round(l.valuesUs[i]!)), l.counts[i]!);
  }
  return h;
}

/** The last whole second and its answers, where the addon counts them (absent before it did). */
function wholeSecond(p: NativeProgress): Pick<Progress, "second" | "secondRequests"> {
  return p.lastSecond === undefined ? {} : { second: p.lastSecond, secondRequests: p.lastSecondRequests ?? null };
}

/** Emits measure-start and measure-end once each, in order, as the phase moves on. */
function phaseRelay(gen: NativeLoadGen) {
  let started = false;
  let ended = false;
  let polls = 0;
  return (final: boolean) => {
    const p = gen.progress();
    if (!started && (p.phase === "measure" || p.phase === "done" || final)) {
      started = true;
      emit({ type: "measure-start" });
    }
    if ((p.phase === "warmup" || p.phase === "measure") && polls++ % PROGRESS_EVERY === 0) {
      const lastSecond = { p50LastSecondUs: p.p50LastSecondUs ?? null, p99LastSecondUs: p.p99LastSecondUs, ...wholeSecond(p) };
      emit({
        type: "progress",
        phase: p.phase,
        elapsedS: p.elapsedS,
        requests: p.requests,
        errors: p.errors,
        p99Us: p.p99Us,
        ...lastSecond,
      });
    }
    if (!ended && (p.phase === "done" || final)) {
      ended = true;
      emit({ type: "measure-end" });
    }
  };
}

function tlsOf(t: NativeTls) {
  const { latency, ...counts } = t;
  return { ...counts, latencyHdr: encodeHistogram(toHdr(latency)) };
}

function connectOf(k: NativeConnect) {
  const { latency, ...counts } = k;
  return { ...counts, ratePerS: k.rampS > 0 ? k.firstOpened / k.rampS : null, latencyHdr: encodeHistogram(toHdr(latency)) };
}

/** A count of the addon's request accounting; null from an addon built before it. */
function optionalCount(r: NativeLoadResult, key: "sent" | "completedTotal" | "failed" | "unfinished"): number | null {
  const v = (r as unknown as Record<string, unknown>)[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

async function main(): Promise<void> {
  const spec = (await receiveSpec()) as unknown as NativeSpec;
  const parts = splitSpec(spec, processesFor(spec));
  if (parts.length > 1) {
    releaseStop(); // runProcesses relays SIGTERM/SIGINT to its children
    return runProcesses(fileURLToPath(import.meta.url), parts);
  }
  return runOne(spec);
}

/** waitForGo: tells the parent it is ready, then waits for "go <epoch ms>" and for that instant. */
async function waitForGo(): Promise<void> {
  emit({ type: "ready" });
  // Plain data events, not readline: the stream must stay flowing for the watchdog's EOF.
  const at = await new Promise<number>((resolve) => {
    let text = "";
    const onData = (d: Buffer) => {
      text += d.toString("latin1");
      const m = /^go (\d+)$/m.exec(text);
      if (!m) return;
      process.stdin.off("data", onData);
      resolve(Number(m[1]));
    };
    process.stdin.on("data", onData);
    process.stdin.resume(); // receiveSpec paused it after the spec
  });
  const wait = at - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

async function runOne(spec: NativeSpec): Promise<void> {
  const checked = spec.checkStatus !== undefined || spec.checkLength !== undefined || spec.checkBodyHash !== undefined;
  const gen = createLoadGen(spec);
  // A stop that came during start-up or while the spec arrived is passed on now (LoadClient::stop
  // before run ends the run at once), so the client still answers.
  onStop(() => gen.stop());
  const watch = exitWithParent();
  const tick = phaseRelay(gen);
  const timer = setInterval(() => tick(false), POLL_MS);
  const rssBefore = selfRssBytes();
  try {
    if (spec.waitForGo === true) await waitForGo();
    const r = await gen.run();
    clearInterval(timer);
    // Read before anything else is allocated: every connection's state is still held.
    const memory = generatorMemory(rssBefore, selfRssBytes(), r.connect?.firstOpened ?? spec.connections);
    const hist = toHdr(r.latency);
    // The window's last line, from the same histogram as the result: the live view ends on the
    // figures that are recorded, and the last measured second is shown.
    const p = gen.progress();
    emit({
      type: "progress",
      phase: "measure",
      elapsedS: spec.warmupS + r.durationS, // since the load began, as on every progress line
      requests: p.requests,
      errors: p.errors,
      p99Us: r.requests > 0 ? hist.getValueAtPercentile(99) : null,
      final: true,
      lastSecondRps: r.perSecond.at(-1) ?? null,
      ...wholeSecond(p),
    });
    tick(true);
    emit({
      type: "result",
      result: {
        generator: "native",
        requests: r.requests,
        bytesRead: r.bytesRead,
        durationS: r.durationS,
        errors: r.errors,
        status: r.status,
        latencyHdr: encodeHistogram(hist),
        perSecond: r.perSecond,
        sent: optionalCount(r, "sent"),
        answered: optionalCount(r, "completedTotal"),
        failed: optionalCount(r, "failed"),
        unfinished: optionalCount(r, "unfinished"),
        latencyFrom: spec.rate !== null ? "intended-send" : "send",
        ...(r.statusCodes !== undefined ? { statusCodes: r.statusCodes } : {}),
        ...(checked && r.check !== undefined ? { check: r.check } : {}),
        ...(r.intervals !== undefined ? { intervalsHdr: r.intervals.map((b) => encodeHistogram(toHdr(b))) } : {}),
        ...(r.connect !== undefined ? { connect: connectOf(r.connect) } : {}),
        ...(memory !== null ? { memory } : {}),
        ...(r.tls !== undefined ? { tls: tlsOf(r.tls) } : {}),
      },
    });
  } finally {
    clearInterval(timer);
    watch.release();
    releaseStop();
  }
}

main().catch((e: unknown) => {
  emit({ type: "error", message: e instanceof Error ? e.message : String(e) });
  process.exitCode = 1;
});
