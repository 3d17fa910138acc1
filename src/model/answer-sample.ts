// One answer of a target sampled at a window's edge (src/probe/answer-probe.ts), judged by
// src/verdict/plausibility.ts.
export interface AnswerSample {
  /** performance.now() when the answer arrived. */
  atMs: number;
  /** The Date header in seconds since the epoch (null: none, or not a date). */
  dateS: number | null;
  bodyLength: number;
  bodyHash: string;
  /** Head and body, as read. */
  wireBytes: number;
}
