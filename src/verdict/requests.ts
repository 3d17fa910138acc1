// Invalid when the requests say the number is not a measurement of the server answering:
// failures dominate, nothing succeeded, the asked rate was not reached, requests vanished.
import { mismatchReasons } from "./mismatch.js";
import type { ErrorCounts, VerdictReason } from "../model/index.js";
import { count, pct } from "./combine.js";
import { MAX_COUNT_GAP, MAX_FAILED_SHARE, MAX_UNFINISHED_SHARE, MIN_RATE_SHARE } from "./thresholds.js";

export interface RequestFacts {
  /** Answers received in the window, any status. */
  requests: number;
  errors: ErrorCounts;
  /** Answers by status class ("2xx", "4xx", ... or "non-2xx"). */
  statusClasses: Record<string, number>;
  rps: number;
  /** The constant rate asked for (null: closed loop). */
  rate: number | null;
  sent?: number | null;
  unfinished?: number | null;
  /** Requests the server itself counted over the window (null: not counted, echo mode, or not ours). */
  serverCounted?: number | null;
  /** Requests that may be in flight at a window edge (connections x pipeline). */
  inFlight?: number;
  /** Requests answered while the target was answering its counters at the two edges (rps x
   *  those times, src/window/edge-timing.ts): its window edges lie that far from the client's. */
  edgeSlack?: number;
  /** Answers unlike the expected one (load --check; null or absent: not checked). */
  mismatched?: number | null;
  /** The connections asked, and those open at least once (null or absent: the generator does
   *  not count its connects). */
  connectionsAsked?: number;
  connectionsOpened?: number | null;
}

/** Fewer connections than asked ever opened (connects still pending in a full SYN queue, or
 *  past the server's descriptors): the number measures a smaller load than the one named. */
function connectionReasons(f: RequestFacts): VerdictReason[] {
  const asked = f.connectionsAsked ?? 0;
  const opened = f.connectionsOpened ?? null;
  if (opened === null || asked === 0 || opened >= asked * (1 - MAX_FAILED_SHARE)) return [];
  return [
    {
      kind: "invalid",
      code: "connections-unopened",
      message: `${count(opened)} of the ${count(asked)} connections asked ever opened (${pct(opened / asked)}) < ${pct(1 - MAX_FAILED_SHARE)}: the number is a smaller load's`,
    },
  ];
}

function non2xx(f: Pick<RequestFacts, "errors" | "statusClasses">): number {
  const fromClasses = Object.entries(f.statusClasses)
    .filter(([k]) => k !== "2xx")
    .reduce((a, [, v]) => a + v, 0);
  return Math.max(f.errors.status, fromClasses);
}

/** The client's count against the server's own: answers lost or invented do not add up. */
function countReasons(f: RequestFacts): VerdictReason[] {
  const server = f.serverCounted ?? null;
  if (server === null || (server === 0 && f.requests === 0)) return [];
  const gap = Math.abs(server - f.requests);
  // the two windows open and close a few milliseconds apart: requests in flight, plus a share
  if (gap <= MAX_COUNT_GAP * Math.max(server, f.requests) + 2 * (f.inFlight ?? 0) + (f.edgeSlack ?? 0)) return [];
  return [
    {
      kind: "invalid",
      code: "count-mismatch",
      message: `the server answered ${count(server)} requests in the window, the client counted ${count(f.requests)} (${pct(gap / Math.max(server, f.requests))} apart > ${pct(MAX_COUNT_GAP)}): answers were lost or miscounted`,
    },
  ];
}

export interface RequestFailures {
  /** Requests that failed in flight (connect, reset, timeout, bad response). */
  failedInFlight: number;
  /** Answers that were not 2xx. */
  bad: number;
  /** Answers of any status plus requests failed in flight. */
  attempted: number;
  /** failedInFlight + bad. */
  failed: number;
  /** failed / attempted; 1 when nothing was attempted. */
  share: number;
}

/** The error share, once for runs, `load` and sweep steps: (errors + non-2xx) / attempted. */
export function requestFailures(f: Pick<RequestFacts, "requests" | "errors" | "statusClasses">): RequestFailures {
  const e = f.errors;
  const failedInFlight = e.connect + e.reset + e.timeout + e.badResponse + e.tls + e.goaway + e.rstStream;
  const bad = non2xx(f);
  const attempted = f.requests + failedInFlight;
  const failed = failedInFlight + bad;
  return { failedInFlight, bad, attempted, failed, share: attempted > 0 ? failed / attempted : 1 };
}

export function requestReasons(f: RequestFacts): VerdictReason[] {
  const out: VerdictReason[] = [...countReasons(f), ...connectionReasons(f)];
  const e = f.errors;
  const { failedInFlight, bad, attempted, failed } = requestFailures(f);
  const good = Math.max(0, f.requests - bad);
  if (attempted > 0 && failed / attempted > MAX_FAILED_SHARE) {
    const code = bad >= failedInFlight ? "non-2xx" : "errors";
    const kinds = [
      ["connect", e.connect],
      ["reset", e.reset],
      ["timeout", e.timeout],
      ["bad response", e.badResponse],
      ["tls", e.tls],
      ["goaway", e.goaway],
      ["rst_stream", e.rstStream],
      ["non-2xx", bad],
    ]
      .filter(([, n]) => (n as number) > 0)
      .map(([k, n]) => `${k} ${count(n as number)}`)
      .join(", ");
    out.push({
      kind: "invalid",
      code,
      message: `errors + non-2xx: ${count(failed)} of ${count(attempted)} (${pct(failed / attempted)}) > ${pct(MAX_FAILED_SHARE)} (${kinds})`,
    });
  }
  if (good === 0) {
    out.push({
      kind: "invalid",
      code: "no-success",
      message:
        attempted === 0
          ? "no request was answered or failed: nothing was measured"
          : `no request succeeded (0 2xx answers of ${count(attempted)} attempted)`,
    });
  }
  if (f.rate !== null && f.rps < MIN_RATE_SHARE * f.rate) {
    out.push({
      kind: "invalid",
      code: "rate-unreached",
      message: `rate unreached: ${count(f.rps)} req/s of the ${count(f.rate)} asked (${pct(f.rps / f.rate)}) < ${pct(MIN_RATE_SHARE)}: the number is the limit, not the asked load`,
    });
  }
  out.push(...mismatchReasons(f.mismatched ?? 0, f.requests));
  const sent = f.sent ?? null;
  const unfinished = f.unfinished ?? null;
  if (sent !== null && unfinished !== null && sent > 0 && unfinished / sent > MAX_UNFINISHED_SHARE) {
    out.push({
      kind: "invalid",
      code: "unfinished",
      message: `unfinished: ${count(unfinished)} of ${count(sent)} requests sent (${pct(unfinished / sent)}) were neither answered nor failed at the end > ${pct(MAX_UNFINISHED_SHARE)}`,
    });
  }
  return out;
}
