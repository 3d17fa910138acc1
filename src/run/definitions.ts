// How each metric is measured, in words, written into every result so it stands on its own.
// The metrics' own definitions come from the registry (src/metrics/registry.ts).
import { METRICS } from "../metrics/registry.js";
import { INTERVAL_LEGEND } from "../present/interval.js";

export const DEFINITIONS: Record<string, string> = {
  latencyUs:
    "per-request latency in microseconds, recorded into an HdrHistogram (3 significant digits); open-loop runs of the native generator time each request from its intended send time (coordinated-omission corrected); autocannon and wrk from the actual send time",
  ...Object.fromEntries(METRICS.map((m) => [m.key, m.definition])),
  "server.requestsCounted": "requests the target itself counted in the window, a cross-check of the client's count",
  "client.clientBound": "the client's CPU was saturated: the number then describes the client (see verdict)",
  verdict: "valid, noisy, clientBound or invalid: the worst of the reasons found for the run (or the row's runs together), each reason with its numbers",
  summary: `median over repetitions; ${INTERVAL_LEGEND}`,
};
