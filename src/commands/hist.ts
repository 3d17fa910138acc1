// `hist merge a.hlog b.hlog ...`: interval histogram logs of several clients merged exactly into
// one distribution and one per-second timeline; --hgrm writes the merged distribution.
import { realpathSync } from "node:fs";

import type { Histogram } from "hdr-histogram-js";

import { BadInputError } from "../errors.js";
import { readIntervalLog } from "../hist/log.js";
import { readBoundedText } from "../io/bounded-read.js";
import { mergeIntervals, type Merged } from "../hist/merge.js";
import { fmtUs } from "../ui/format.js";
import { checkNewFile } from "./checks.js";
import { defineCommand, type Outcome } from "./define.js";
import { writeHgrm } from "./load-export.js";
import { duration, flag, str } from "./options.js";

function stats(h: Histogram) {
  const at = (p: number) => (h.totalCount > 0 ? h.getValueAtPercentile(p) : 0);
  return { count: h.totalCount, p50Us: at(50), p90Us: at(90), p99Us: at(99), p999Us: at(99.9), maxUs: h.maxValue, meanUs: h.mean };
}

function mergedJson(files: string[], m: Merged) {
  return {
    files,
    intervals: m.intervals,
    total: stats(m.total),
    timeline: m.timeline.map((s) => ({ second: s.second, ...stats(s.histogram) })),
  };
}

function mergedText(files: string[], m: Merged): string {
  const t = stats(m.total);
  const rows = m.timeline.map((s) => {
    const x = stats(s.histogram);
    return `  ${String(s.second).padStart(6)}  ${String(x.count).padStart(9)}  ${fmtUs(x.p50Us).padStart(9)}  ${fmtUs(x.p99Us).padStart(9)}  ${fmtUs(x.maxUs).padStart(9)}`;
  });
  return [
    `merged ${files.length} log(s), ${m.intervals} interval(s): ${t.count.toLocaleString("en-US")} answers`,
    `  p50 ${fmtUs(t.p50Us)}  p90 ${fmtUs(t.p90Us)}  p99 ${fmtUs(t.p99Us)}  p99.9 ${fmtUs(t.p999Us)}  max ${fmtUs(t.maxUs)}  mean ${fmtUs(t.meanUs)}`,
    "",
    `  ${"second".padStart(6)}  ${"answers".padStart(9)}  ${"p50".padStart(9)}  ${"p99".padStart(9)}  ${"max".padStart(9)}`,
    ...rows,
  ].join("\n");
}

/** The same log twice would count every answer in it twice: refused, whatever the spelling. */
function refuseRepeats(files: string[]): void {
  const seen = new Map<string, string>();
  for (const f of files) {
    const real = realpathSync(f);
    const first = seen.get(real);
    if (first !== undefined)
      throw new BadInputError(`hist merge: ${f} is ${first} again; merging a log twice counts its answers twice: give each log once`);
    seen.set(real, f);
  }
}

export const histSpec = defineCommand({
  name: "hist",
  summary: "merge HdrHistogram interval logs (load --histogram-log) exactly: hist merge a.hlog b.hlog",
  positionals: [
    { name: "action", help: "merge" },
    { name: "log", help: "interval log files written by load --histogram-log (or any HdrHistogram interval log in us)" },
  ],
  variadic: true,
  options: {
    from: duration({ help: "only intervals starting at or after this time from each log's start", minS: 0, maxS: 1e9 }),
    to: duration({ help: "only intervals starting at or before this time from each log's start", minS: 0, maxS: 1e9 }),
    hgrm: str({ help: "write the merged distribution here (HdrHistogram percentile format, ms)", metavar: "<file>" }),
    json: flag({ help: "the merged distribution and timeline as one JSON document" }),
  },
  run: async (v, positionals): Promise<Outcome> => {
    const [action, ...files] = positionals;
    if (action !== "merge")
      throw new BadInputError(`hist: expected "merge" then log files, got "${action ?? ""}"; e.g. npm run hist -- merge a.hlog b.hlog`);
    if (files.length === 0) throw new BadInputError("hist merge: no log files given; e.g. npm run hist -- merge a.hlog b.hlog");
    if (v.from !== undefined && v.to !== undefined && v.to < v.from) throw new BadInputError(`--to ${v.to}s is before --from ${v.from}s`);
    if (v.hgrm !== undefined) checkNewFile(v.hgrm, "--hgrm");
    // Every file checked and read within its bound first (special files refused), then repeats.
    const texts = files.map((f) => readBoundedText(f, "hist merge:", "hlog"));
    refuseRepeats(files);
    const logs = files.map((f, i) => {
      const text = texts[i]!;
      try {
        return readIntervalLog(text, v.from ?? 0, v.to ?? Number.MAX_VALUE);
      } catch (e) {
        throw new BadInputError(`hist merge: ${f} is not an HdrHistogram interval log (${e instanceof Error ? e.message : String(e)})`);
      }
    });
    const merged = mergeIntervals(logs);
    const unwritten = v.hgrm === undefined ? null : writeHgrm(v.hgrm, merged.total);
    if (unwritten) throw new BadInputError(`${unwritten}; choose another file`);
    return { text: v.json ? JSON.stringify(mergedJson(files, merged)) : mergedText(files, merged), exitCode: 0 };
  },
});
