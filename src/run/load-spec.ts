// The generator's view of a scenario: one LoadSpec per run.
import type { Scenario } from "../scenario/load.js";
import type { LoadSpec } from "../load/types.js";
import type { LoadSettings } from "../results/schema.js";

export function loadSpecFor(s: Scenario, host: string, port: number): LoadSpec {
  return {
    host,
    port,
    connections: s.load.connections,
    threads: s.load.threads,
    pipeline: s.load.pipeline,
    rate: s.load.rate,
    keepAlive: s.load.keepAlive,
    fastOpen: s.load.fastOpen,
    method: s.load.method,
    path: s.load.path,
    headers: s.load.headers,
    bodyBytes: s.load.bodyBytes,
    echo: s.mode === "echo",
    warmupS: s.warmupS,
    durationS: s.durationS,
    timeoutMs: s.load.timeoutMs,
    cpus: s.cpus?.client ?? null,
  };
}

export function loadSettingsFor(s: Scenario): LoadSettings {
  return {
    generator: s.load.generator,
    connections: s.load.connections,
    threads: s.load.threads,
    pipeline: s.load.pipeline,
    rate: s.load.rate,
    keepAlive: s.load.keepAlive,
    fastOpen: s.load.fastOpen,
    method: s.load.method,
    path: s.load.path,
    bodyBytes: s.load.bodyBytes,
    echo: s.mode === "echo",
    warmupS: s.warmupS,
    durationS: s.durationS,
  };
}
