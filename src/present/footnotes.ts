// Footnotes for table cells: a reason repeated on many rows is printed once, under the table,
// and each cell points at it by number.
import type { Verdict } from "../model/index.js";

export class Footnotes {
  private readonly texts: string[] = [];

  /** The number of this text's footnote, adding it the first time it is seen. */
  ref(text: string): number {
    const i = this.texts.indexOf(text);
    if (i >= 0) return i + 1;
    this.texts.push(text);
    return this.texts.length;
  }

  get size(): number {
    return this.texts.length;
  }

  /** "[1] ..." lines, in order of first use. */
  lines(): string[] {
    return this.texts.map((t, i) => `[${i + 1}] ${t}`);
  }
}

/** "valid", or "clientBound [1][2]" with each reason a footnote ("clientBound: client CPU 94 % ..."). */
export function verdictCell(v: Verdict, notes: Footnotes): string {
  const refs = v.reasons.map((r) => `[${notes.ref(`${r.kind}: ${r.message}`)}]`);
  return [v.verdict, [...new Set(refs)].join("")].filter(Boolean).join(" ");
}

export const VERDICT_LEGEND =
  "verdict: valid; noisy (the machine was busy or the repetitions vary too much to trust small differences); clientBound (the client, not the server, was the limit: the number describes the client); invalid (errors, wrong answers or an unreached rate: the number means nothing)";
