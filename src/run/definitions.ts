// How each metric is measured, in words, written into every result so it stands on its own.
export const DEFINITIONS: Record<string, string> = {
  rps: "requests completed by the client inside the measurement window / window length; warm-up excluded",
  latencyUs:
    "per-request latency in microseconds, recorded into an HdrHistogram (3 significant digits); open-loop runs of the native generator time each request from its intended send time (coordinated-omission corrected); autocannon and wrk from the actual send time",
  "server.rssPeakBytes":
    "memory: the resident set size (RSS) of the target's process group from /proc/<pid>/statm, sampled at 10 Hz over the measurement window; the peak sample",
  "server.rssMeanBytes": "the mean of the same RSS samples",
  "server.cpuPct": "user + system CPU time of the target's process group over the window (from /proc/<pid>/stat) / window length x 100 (100 = one CPU)",
  "server.reqPerCpuSec": "rps / (server.cpuPct / 100): requests per server CPU-second, comparable even when the client is the limit",
  "server.gcPerSec":
    "GC cycles completed in the window (the target's control channel: Go runtime/metrics /gc/cycles/total; Node: every V8 GC, scavenges included) / window length",
  "server.allocBytesPerReq": "bytes allocated on the managed heap during the window / requests in the window (Go: /gc/heap/allocs:bytes; Node: v8 heap growth plus bytes freed by GCs)",
  "server.requestsCounted": "requests the target itself counted in the window, a cross-check of the client's count",
  "client.cpuPct": "CPU time of the load generator's process group over the window / window length x 100",
  "client.clientBound": "client.cpuPct >= 90 % of the client's allotment (min(threads, pinned CPUs) x 100 %) while server.cpuPct < 90 % of the server's (min(threads, pinned CPUs) x 100 %): the number then describes the client",
  "load.latencyFrom": "where each request's latency is timed from: intended-send (the native generator's constant rate: coordinated omission corrected, as wrk2) or send (the actual write: closed loops, and autocannon's --rate, which is NOT corrected for coordinated omission)",
  sent: "requests written in the window; sent = requests (answered, any status) + failed in flight (reset, timeout, bad response) + unfinished (null: the generator cannot tell)",
  verdict: "invalid: errors + non-2xx > 1 % of attempted requests, no 2xx answer, a constant rate reached < 95 % of its target, > 1 % of sent requests unfinished, or the client's count > 5 % (+ 2 x connections x pipeline) from the server's own; clientBound: see client.clientBound; noisy: CPU steal > 2 % or other processes' busy time > 10 % of the judged CPUs (the pinned ones, else all) over the window, or (rows) a coefficient of variation of req/s > 5 % over repetitions",
  summary: "median over repetitions with a distribution-free 95 % interval from order statistics (min..max when too few repetitions)",
};
