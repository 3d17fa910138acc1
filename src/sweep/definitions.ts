// How a sweep's figures are measured, in words, written into every sweep result. The numbers come
// from src/verdict/thresholds.ts, so the words cannot drift from the rules.
import {
  CLIENT_SATURATED_SHARE,
  MAX_FAILED_SHARE,
  MAX_FOREIGN_PCT,
  MAX_STEAL_PCT,
  MIN_RATE_SHARE,
  SERVER_HEADROOM_SHARE,
} from "../verdict/thresholds.js";

const pct = (share: number) => `${Math.round(share * 100)} %`;

export const SWEEP_DEFINITIONS: Record<string, string> = {
  "sweep.step":
    "one constant-rate load of the native generator (open loop: each connection sends on a fixed schedule; each request timed from its intended send time, so coordinated omission is corrected), with its own warm-up, then a measured window",
  "sweep.offeredRps": "the constant total rate the step asked for",
  "sweep.achievedRps": "answers received inside the measured window / window length",
  "sweep.latencyUs": "CO-corrected latency of the step's window in microseconds (HdrHistogram, 3 significant digits)",
  "sweep.serverCpuPct":
    "CPU time of the target's process group over the window / window length x 100 (a server at a URL: the process listening on its port, where it runs on this machine; null elsewhere)",
  "sweep.clientCpuPct": "CPU time of the generator's process group over the window / window length x 100",
  "sweep.clientBound": `client CPU >= ${pct(CLIENT_SATURATED_SHARE)} of the CPUs it may use (min(threads, pinned CPUs)) while the server used < ${pct(SERVER_HEADROOM_SHARE)} of its own (the run's rule, src/verdict/saturation.ts): the step measured the client`,
  "sweep.cpuPressurePct":
    "share of the window during which some task waited for a CPU (Linux PSI /proc/pressure/cpu, 'some'), the run's own threads included: recorded, not judged",
  "sweep.cpuNoise": `steal and other processes' CPU time on the judged CPUs over the window, the run's own (server, client, runner) subtracted, as every run measures it; a sweep whose median step exceeds the run thresholds (steal ${MAX_STEAL_PCT} %, other processes ${MAX_FOREIGN_PCT} %) is 'noisy'`,
  "sweep.saturated": `achieved < ${pct(MIN_RATE_SHARE)} of offered: the server did not keep up`,
  "sweep.meets": `per SLO: latency percentile <= limit, not saturated, errors + non-2xx <= ${pct(MAX_FAILED_SHARE)} of attempts`,
  "sweep.search":
    "geometric ascent from startRps by factor until a step meets no SLO, the client saturates, errors appear or the cap is reached; then geometric bisection of each SLO's bracket until hi/lo <= 1 + resolution",
  knee: "per SLO: the highest offered rate that met it (breaks below it are reported as a non-monotonic, noisy curve), bracketed by the lowest offered rate above it (client not saturated) that broke it; 'atLeast' when nothing above it broke it (client saturated or rate cap); median over repetitions with a distribution-free 95 % interval (min..max when too few repetitions)",
  "knee.saturationRps": `the lowest offered rate whose achieved rate fell below ${pct(MIN_RATE_SHARE)} of it (client not saturated); median over repetitions`,
};
