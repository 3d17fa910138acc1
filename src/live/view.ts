// The live view of a running load: on a terminal one status block redrawn in place (phase,
// elapsed / total with a progress bar, req/s, p50 and p99 of the last second, errors so far); elsewhere
// (a pipe, a CI log) one plain line per second. It writes to the stream it is given (stderr, so
// that stdout keeps only the command's result).
import { fmtCount, fmtUs } from "../ui/format.js";

export interface LiveSample {
  /** What runs ("node-http rep 1", or the URL). */
  label: string;
  phase: "warmup" | "measure";
  elapsedS: number;
  /** The phase's length in seconds (null when unknown, e.g. -n runs). */
  totalS: number | null;
  /** Requests per second, null before there is a figure (the first second not over yet). */
  rps: number | null;
  /** What second rps covers: "last 1s" (a rolling rate), or "second 3" (the window's third, the
   *  same figure as the third row of --csv and perSecond[2] of --json). */
  rpsOf?: string;
  /** The window's second rps is of, where the generator reports whole seconds: the plain view
   *  prints a line as each second ends, so every second of the window is shown once. */
  second?: number | null;
  /** The last line of the window: always printed. */
  final?: boolean;
  /** Latency p99 as the generator reports it while running, and what window it covers. */
  p99Us: number | null;
  p99Of: string;
  /** The median over the same window as p99, where the generator reports it. */
  p50Us?: number | null;
  errors: number | null;
  /** Anything else worth one short field (e.g. "rss 12MiB"). */
  extra?: string;
}

export interface LiveStream {
  write(s: string): void;
  isTTY: boolean;
  columns: number;
}

export interface LiveView {
  update(s: LiveSample): void;
  /** Clears the block (terminal) so the summary follows cleanly. */
  done(): void;
}

const BAR_CELLS = 24;
const PLAIN_EVERY_MS = 1000;

export function progressBar(fraction: number, cells = BAR_CELLS): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * cells);
  return "█".repeat(full) + "░".repeat(cells - full);
}

export function statusLines(s: LiveSample): string[] {
  const time = s.totalS === null ? `${s.elapsedS.toFixed(1)}s` : `${s.elapsedS.toFixed(1)}s / ${s.totalS}s`;
  const bar = s.totalS === null || s.totalS <= 0 ? "" : `${progressBar(s.elapsedS / s.totalS)} `;
  const fields = [
    `${s.rps === null ? "-" : fmtCount(s.rps)} req/s (${s.rpsOf ?? "last 1s"})`,
    `${s.p50Us !== undefined ? `p50 ${s.p50Us === null ? "-" : fmtUs(s.p50Us)}  ` : ""}p99 ${s.p99Us === null ? "-" : fmtUs(s.p99Us)} (${s.p99Of})`,
    s.errors === null ? "" : `errors ${s.errors.toLocaleString("en-US")}`,
    s.extra ?? "",
  ].filter(Boolean);
  return [`${s.label}  ${s.phase === "warmup" ? "warm-up" : "measure"} ${bar}${time}`, `  ${fields.join("   ")}`];
}

function fit(line: string, columns: number): string {
  return columns > 0 && line.length > columns - 1 ? line.slice(0, columns - 1) : line;
}

/** quiet: nothing at all. */
export function createLiveView(stream: LiveStream, quiet: boolean): LiveView {
  if (quiet) return { update: () => {}, done: () => {} };
  if (!stream.isTTY) {
    let last = 0;
    let lastSecond: number | null = null;
    const due = (s: LiveSample, now: number): boolean => {
      if (s.final) return true;
      // Whole seconds: one line as each ends (not by the clock, which would skip or repeat one).
      if (s.phase === "measure" && s.second !== undefined) return s.second !== null && s.second !== lastSecond;
      return now - last >= PLAIN_EVERY_MS;
    };
    return {
      update(s) {
        const now = Date.now();
        if (!due(s, now)) return;
        last = now;
        lastSecond = s.second ?? null;
        stream.write(
          statusLines(s)
            .map((l) => l.trim())
            .join("  ") + "\n",
        );
      },
      done: () => {},
    };
  }
  let drawn = 0;
  const clear = () => {
    if (drawn > 0) stream.write(`\x1b[${drawn}A` + "\x1b[2K\n".repeat(drawn) + `\x1b[${drawn}A`);
    drawn = 0;
  };
  return {
    update(s) {
      const lines = statusLines(s).map((l) => fit(l, stream.columns));
      const up = drawn > 0 ? `\x1b[${drawn}A` : "";
      stream.write(up + lines.map((l) => `\x1b[2K${l}\n`).join(""));
      drawn = lines.length;
    },
    done: clear,
  };
}

/** The time shown beside a phase's total: a generator counts from the start of the load, and a
 *  measure phase shown as "6.2s / 8s" one second into an 8 s window after a 5 s warm-up misleads. */
export function phaseElapsedS(phase: "warmup" | "measure", sinceLoadStartS: number, warmupS: number): number {
  return phase === "measure" ? Math.max(0, sinceLoadStartS - warmupS) : sinceLoadStartS;
}
