// The generator's view of a scenario: one LoadSpec per run.
import type { ResolvedVariant, Scenario } from "../scenario/load.js";
import type { NativeSpecExtras } from "../load/native-addon.js";
import type { LoadSpec } from "../load/types.js";
import { protocolOfLoad, type LoadSettings } from "../model/index.js";

/** `caFile`: the run's certificate authority (src/tls/certs.ts), which the generator trusts; null:
 *  the system store (a user's own certificate). */
export function loadSpecFor(
  s: Scenario,
  v: ResolvedVariant,
  host: string,
  port: number,
  caFile: string | null = null,
): LoadSpec & NativeSpecExtras {
  const l = v.load;
  // The backend travels to the native generator only; the scenario refuses it for the others.
  const native: NativeSpecExtras =
    l.generator === "native" ? { backend: l.backend, sqpoll: l.sqpoll, ...(l.arrival === "poisson" ? { arrival: "poisson" } : {}) } : {};
  return {
    ...native,
    host,
    port,
    connections: l.connections,
    threads: l.threads,
    pipeline: l.pipeline,
    rate: l.rate,
    keepAlive: l.keepAlive,
    fastOpen: l.fastOpen,
    method: l.method,
    path: l.path,
    headers: l.headers,
    bodyBytes: l.bodyBytes,
    echo: s.mode === "echo",
    warmupS: s.warmupS,
    durationS: s.durationS,
    timeoutMs: l.timeoutMs,
    cpus: s.cpus?.client ?? null,
    ...(l.tls
      ? {
          tls: {
            ...(caFile ? { caFile } : {}),
            insecure: false,
            alpn: l.h2 ? "h2" : "http/1.1",
            resume: l.tlsResume,
            ...(l.tlsEarlyData ? { earlyData: true } : {}),
          },
        }
      : {}),
    ...(l.h2 ? { h2: { streams: l.streams } } : {}),
  };
}

/** What the result records of a run's load: the spec without where it went. */
export function loadSettingsFor(s: Scenario, v: ResolvedVariant): LoadSettings {
  const { connections, threads, pipeline, rate, keepAlive, fastOpen, method, path, bodyBytes, echo, warmupS, durationS } = loadSpecFor(
    s,
    v,
    "",
    0,
  );
  const { backend, sqpoll } = v.load;
  const protocol = protocolOfLoad(v.load);
  return {
    ...(protocol !== "h1" ? { protocol } : {}),
    ...(v.load.h2 ? { streams: v.load.streams } : {}),
    ...(v.load.tlsResume ? { tlsResume: true } : {}),
    ...(v.load.tlsEarlyData ? { tlsEarlyData: true } : {}),
    ...(v.load.arrival === "poisson" ? { arrival: "poisson" as const } : {}),
    generator: v.load.generator,
    connections,
    threads,
    pipeline,
    rate,
    keepAlive,
    fastOpen,
    method,
    path,
    bodyBytes,
    echo,
    warmupS,
    durationS,
    backend,
    sqpoll,
  };
}
