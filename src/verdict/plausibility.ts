// invalid, plausibility: what the answers sampled at the window's edges (src/probe/answer-probe.ts)
// and the bytes the client read say about the run's numbers.
//  - date-stale: the Date header advanced less than the runner's clock between the two samples
//    (beyond DATE_SLACK_S: Date has whole seconds, and a server may refresh it once a second),
//    so the answers were not made when they were sent (a cached answer, a stopped clock).
//  - answer-changed: the two samples' bodies differ in length or content: the load did not
//    measure one answer.
//  - bytes-short: more answers counted than the bytes read can hold at the sampled answer's size
//    (beyond MAX_BYTES_SHORTFALL): answers counted that were not on the wire.
import type { VerdictReason } from "../model/index.js";
import type { AnswerSample } from "../model/index.js";
import { DATE_SLACK_S, MAX_BYTES_SHORTFALL } from "./thresholds.js";

export interface PlausibilityFacts {
  start: AnswerSample | null;
  end: AnswerSample | null;
  /** Answers the client counted in the window, and the bytes it read there (0: not reported). */
  answers: number;
  bytesRead: number;
}

export function plausibilityReasons(f: PlausibilityFacts): VerdictReason[] {
  const out: VerdictReason[] = [];
  const { start: a, end: b } = f;
  if (a && b && a.dateS !== null && b.dateS !== null) {
    const clockS = (b.atMs - a.atMs) / 1000;
    const dateS = b.dateS - a.dateS;
    if (dateS < clockS - DATE_SLACK_S) {
      out.push({
        kind: "invalid",
        code: "date-stale",
        message: `the Date header advanced ${dateS.toFixed(0)} s between the answers sampled at the window's edges, the clock ${clockS.toFixed(1)} s (> ${DATE_SLACK_S} s apart): the answers were not made when sent`,
      });
    }
  }
  if (a && b && (a.bodyLength !== b.bodyLength || a.bodyHash !== b.bodyHash)) {
    out.push({
      kind: "invalid",
      code: "answer-changed",
      message: `the answers sampled at the window's edges differ (body ${a.bodyLength} B, hash ${a.bodyHash} at the start; ${b.bodyLength} B, ${b.bodyHash} at the end): the load did not measure one answer`,
    });
  }
  const size = Math.min(a?.wireBytes ?? Number.POSITIVE_INFINITY, b?.wireBytes ?? Number.POSITIVE_INFINITY);
  if (f.bytesRead > 0 && Number.isFinite(size)) {
    const holds = f.bytesRead / size;
    if (f.answers > holds * (1 + MAX_BYTES_SHORTFALL)) {
      out.push({
        kind: "invalid",
        code: "bytes-short",
        message: `${f.answers} answers counted, but the ${f.bytesRead} bytes read hold at most ${Math.floor(holds)} answers of ${size} B (the one sampled at the window's edges): answers counted that were not on the wire`,
      });
    }
  }
  return out;
}
