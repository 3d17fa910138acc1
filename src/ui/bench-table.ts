// The table printed at the end of `bench`: the summary table of the present layer, its footnotes
// (verdict reasons, failures), how the rows were loaded and pinned, and what the units are.
// By default a compact table that fits 100 columns (the columns a reader needs first); --wide
// for every summary metric; the legend only with --explain (otherwise a one-line hint), since it
// is the same for every run and would bury the numbers.
import { UNITS_LEGEND } from "../present/format.js";
import { Footnotes, VERDICT_LEGEND } from "../present/footnotes.js";
import { INTERVAL_LEGEND } from "../present/interval.js";
import { summaryTable } from "../present/summary-table.js";
import { toText } from "../present/table.js";
import type { LoadSettings, ResultFile } from "../model/index.js";

/** The compact table's metrics beside req/s and the verdict (keys of src/model/metrics.ts). */
export const COMPACT_METRICS = ["p50Us", "p99Us", "rssPeakBytes", "serverReqPerCpuSec"] as const;

export const LEGEND_HINT = "--explain explains the columns, intervals, units and verdicts; --wide shows every column";

const PER_ROW_LOAD = "load: rows were loaded differently (generator, connections, pipeline, rate); --wide shows each row's load";

export interface BenchTableOptions {
  wide?: boolean;
  explain?: boolean;
}

/** One sentence: how every row was loaded, when they were all loaded the same way. */
export function loadSentence(load: LoadSettings): string {
  const what = load.echo
    ? `raw TCP echo of ${load.bodyBytes} B messages`
    : `${load.method} ${load.path}${load.bodyBytes ? ` with ${load.bodyBytes} B body` : ""}`;
  return `load: ${load.generator}, ${load.connections} connections, ${load.threads} client thread(s), pipeline ${load.pipeline}, ${load.rate ? `${load.rate} req/s open loop` : "closed loop"}, ${what}, ${load.keepAlive ? "keep-alive" : "a new connection per request"}; warm-up ${load.warmupS}s excluded, ${load.durationS}s measured`;
}

export function pinSentence(r: ResultFile): string {
  const pin = r.scenario.cpus;
  return pin
    ? `pinned: server on CPU ${pin.server.join(",")}, client on CPU ${pin.client.join(",")} (taskset)`
    : "not pinned: client and server share the CPUs";
}

const LEGEND = [
  "memory = RSS of the target's process group from /proc over the window; GC/s = GC cycles in the window / its length",
  INTERVAL_LEGEND,
  UNITS_LEGEND,
  VERDICT_LEGEND,
];

export function benchTable(r: ResultFile, o: BenchTableOptions = {}): string {
  const notes = new Footnotes();
  const table = toText(summaryTable(r, notes, o.wide ? {} : { only: COMPACT_METRICS }), true);
  const sameLoad = new Set(r.runs.map((x) => JSON.stringify(x.load))).size === 1;
  const load = sameLoad ? r.runs[0]?.load : undefined;
  const loads = load ? [loadSentence(load)] : o.wide ? [] : [PER_ROW_LOAD];
  return [table, ...notes.lines(), "", ...loads, pinSentence(r), ...(o.explain ? LEGEND : [LEGEND_HINT])].join("\n");
}
