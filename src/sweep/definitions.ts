// How a sweep's figures are measured, in words, written into every sweep result.
export const SWEEP_DEFINITIONS: Record<string, string> = {
  "sweep.step":
    "one constant-rate load of the native generator (open loop: each connection sends on a fixed schedule; each request timed from its intended send time, so coordinated omission is corrected), with its own warm-up, then a measured window",
  "sweep.offeredRps": "the constant total rate the step asked for",
  "sweep.achievedRps": "answers received inside the measured window / window length",
  "sweep.latencyUs": "CO-corrected latency of the step's window in microseconds (HdrHistogram, 3 significant digits)",
  "sweep.serverCpuPct":
    "CPU time of the target's process group over the window / window length x 100 (null when the harness did not start the server)",
  "sweep.clientCpuPct": "CPU time of the generator's process group over the window / window length x 100",
  "sweep.clientBound": "client CPU >= 95 % of the CPUs it may use (min(threads, pinned CPUs)): the step measured the client",
  "sweep.cpuPressurePct":
    "share of the window during which some task waited for a CPU (Linux PSI /proc/pressure/cpu, 'some'), the run's own threads included: recorded, not judged",
  "sweep.cpuNoise":
    "steal and other processes' CPU time on the judged CPUs over the window, the run's own (server, client, runner) subtracted, as every run measures it; a sweep whose median step exceeds the run thresholds (steal 2 %, other processes 10 %) is 'noisy'",
  "sweep.saturated": "achieved < 95 % of offered: the server did not keep up",
  "sweep.meets": "per SLO: latency percentile <= limit, not saturated, errors + non-2xx <= 1 % of attempts",
  "sweep.search":
    "geometric ascent from startRps by factor until a step meets no SLO, the client saturates, errors appear or the cap is reached; then geometric bisection of each SLO's bracket until hi/lo <= 1 + resolution",
  knee: "per SLO: the highest offered rate that met it (breaks below it are reported as a non-monotonic, noisy curve), bracketed by the lowest offered rate above it (client not saturated) that broke it; 'atLeast' when nothing above it broke it (client saturated or rate cap); median over repetitions with a distribution-free 95 % interval (min..max when too few repetitions)",
  "knee.saturationRps": "the lowest offered rate whose achieved rate fell below 95 % of it (client not saturated); median over repetitions",
};
