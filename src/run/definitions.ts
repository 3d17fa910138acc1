// How each metric is measured, in words, written into every result so it stands on its own.
// The metrics' own definitions come from the registry (src/model/metrics.ts).
import { METRICS } from "../model/index.js";
import { INTERVAL_LEGEND } from "../present/interval.js";

export const DEFINITIONS: Record<string, string> = {
  latencyUs:
    "per-request latency in microseconds, recorded into an HdrHistogram (3 significant digits); open-loop runs of the native generator time each request from its intended send time (coordinated-omission corrected); autocannon and wrk from the actual send time",
  ...Object.fromEntries(METRICS.map((m) => [m.key, m.definition])),
  "server.requestsCounted": "requests the target itself counted in the window, a cross-check of the client's count",
  "client.clientBound":
    "client.cpuPct >= 90 % of the client's allotment (min(threads, pinned CPUs) x 100 %) while server.cpuPct < 90 % of the server's (min(threads, pinned CPUs) x 100 %): the number then describes the client",
  "load.latencyFrom":
    "where each request's latency is timed from: intended-send (the native generator's constant rate: coordinated omission corrected, as wrk2) or send (the actual write: closed loops, and autocannon's --rate, which is NOT corrected for coordinated omission)",
  sent: "requests written over the whole run (warm-up, window and the drain after it); sent = answered (any status) + failed in flight (reset, timeout, bad response, closed) + unfinished at the end (null: the generator cannot tell)",
  verdict:
    "invalid: errors + non-2xx > 1 % of attempted requests, no 2xx answer, a constant rate reached < 95 % of its target, > 1 % of sent requests unfinished, or the client's count > 5 % (+ 2 x connections x pipeline) from the server's own; clientBound: see client.clientBound; noisy: CPU steal > 2 % or other processes' busy time > 10 % of the judged CPUs (the pinned ones, else all) over the window, or (rows) a coefficient of variation of req/s > 5 % over repetitions",
  summary: `median over repetitions; ${INTERVAL_LEGEND}`,
};
