// The generator's view of a scenario: one LoadSpec per run.
import type { ResolvedVariant, Scenario } from "../scenario/load.js";
import type { LoadSpec } from "../load/types.js";
import type { LoadSettings } from "../results/schema.js";

export function loadSpecFor(s: Scenario, v: ResolvedVariant, host: string, port: number): LoadSpec {
  const l = v.load;
  return {
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
  };
}

export function loadSettingsFor(s: Scenario, v: ResolvedVariant): LoadSettings {
  const l = v.load;
  return {
    generator: l.generator,
    connections: l.connections,
    threads: l.threads,
    pipeline: l.pipeline,
    rate: l.rate,
    keepAlive: l.keepAlive,
    fastOpen: l.fastOpen,
    method: l.method,
    path: l.path,
    bodyBytes: l.bodyBytes,
    echo: s.mode === "echo",
    warmupS: s.warmupS,
    durationS: s.durationS,
  };
}
