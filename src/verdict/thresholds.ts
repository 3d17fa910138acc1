// Where a number stops meaning what it says. Each threshold once, with why it is where it is;
// docs/architecture.md ("Validity verdicts") repeats them for readers of the result file.

/** Errors plus non-2xx answers above this share of attempted requests: the run measured failures. */
export const MAX_FAILED_SHARE = 0.01;
/** A constant-rate run that achieved less than this share of its target rate measured the limit. */
export const MIN_RATE_SHARE = 0.95;
/** Requests sent but neither answered nor failed at the end, above this share of those sent. */
export const MAX_UNFINISHED_SHARE = 0.01;
/** The client's count and the server's own for the same window further apart than this share
 *  (beyond the requests in flight at its edges): answers were lost or miscounted. */
export const MAX_COUNT_GAP = 0.05;
/** Client CPU at or above this share of its allotment is saturated... One rule for bench runs,
 *  `load` and sweep steps: 90 % rather than 100 % because a saturated client's CPU never reads
 *  100 % (its own wake-ups, the sampler's 10 Hz granularity; measured: wrk at 93 %, autocannon at
 *  94 % while each was the limit, ../shared/MEASURED.md), and a sweep's client is no different. */
export const CLIENT_SATURATED_SHARE = 0.9;
/** ...and it is the client's number when the server stayed below this share of its own. */
export const SERVER_HEADROOM_SHARE = 0.9;
/** CPU steal above this share of the judged CPUs' time: the hypervisor took the machine away. */
export const MAX_STEAL_PCT = 2;
/** Other processes' busy time above this share of the judged CPUs' time: the machine was shared.
 *  On 2 cores, 10 % is a fifth of a core: enough to move req/s by several percent. */
export const MAX_FOREIGN_PCT = 10;
/** The machine-speed probe's work loop (its wall time) slower than this boot's fastest by more
 *  than this share: the window ran in a slow phase. Above the probe's own spread on a quiet
 *  machine: 24 windows of handbook-t8-fastopen, nothing else running, gave the loop's time 1.00-
 *  1.13x its fastest (the host's own drift); a competitor that doubles what runs on the CPU
 *  doubles it (test/noisy-speed-probe.test.ts). */
export const MAX_SLOWDOWN = 0.25;
// The probe's loopback round trip is recorded, not judged: on the quiet machine it spread to
// 1.72x its fastest in 24 idle T8 windows and to 2.34x in 64 windows of seed-table (right after
// a load, work 1.09x and shared 1.00x in the same samples): wider than the slow phases it would
// have to catch.
/** The Date header of the answers sampled at a window's edges may trail the runner's clock by
 *  this much: it has whole seconds (up to 1 s lost at each sample) and a server may refresh it
 *  once a second. Beyond it the answers were not made when sent. */
export const DATE_SLACK_S = 2;
/** More answers than the bytes read hold, at the sampled answer's size, beyond this share (one
 *  answer may differ from another by a few bytes, e.g. a chunked or longer status line). */
export const MAX_BYTES_SHORTFALL = 0.01;
/** Coefficient of variation of req/s over repetitions above this: the row is noisy. */
export const MAX_CV = 0.05;
/** The interval half-width the repetitions advice aims at (±5 % of the mean, 95 %). */
export const TARGET_HALF_WIDTH = 0.05;
/** Answers unlike the expected one (load --check) above this share of answers: the run did not
 *  measure the answer the target was verified with. */
export const MAX_MISMATCH_SHARE = 0.01;
/** Fast Open asked but fewer than this share of the requests' connections carried data on the
 *  SYN: the row measured ordinary connections. */
export const MIN_FAST_OPEN_SHARE = 0.9;
/** The link relay letting packets go late on average by more than this share of the link's
 *  delay (and at least LINK_LATE_FLOOR_US): CPU contention made the link slower than asked. */
export const LINK_LATE_SHARE = 0.1;
export const LINK_LATE_FLOOR_US = 100;
/** Data retransmissions (the kernel's, on the port's connections) above this share of the
 *  window's requests where no loss was asked: each stalls its requests by a retransmission
 *  timeout or a tail-loss probe, so p99.9 and beyond measure the kernel's timers, not the server. */
export const MAX_UNASKED_RETRANSMIT_SHARE = 0.001;
/** The eBPF dropper's share of packets dropped may differ from the asked loss by this many
 *  standard deviations of a binomial draw (plus LOSS_SLACK_PCT) before the run measured another
 *  loss than it says. */
export const LOSS_DRAW_SIGMAS = 4;
export const LOSS_SLACK_PCT = 0.1;
