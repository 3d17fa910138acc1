// The report's "Profiles" part of a scenario (bench --profile): per profiled run of the newest
// result, links to its files and flame graphs, the GC over the window, and the top functions
// (flat: running; cumulative: on the stack), each as a share of the profile's total.
import { dirname, join } from "node:path";

import type { Block, Span } from "../present/doc.js";
import type { Table } from "../present/table.js";
import { topFunctions, type Folded } from "../profile/folded.js";
import { existingFlame, loadRunProfiles } from "../profile/load.js";
import type { RunOk, RunProfile } from "../model/index.js";
import type { ScenarioReport } from "./model.js";

const TOP_CPU = 12;
const TOP_HEAP = 6;

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function topTable(f: Folded, n: number): Table {
  return {
    header: ["flat", "cumulative", "function"],
    rows: topFunctions(f, n).map((t) => [pct(t.flatShare), pct(t.cumShare), t.name]),
    alignRight: [0, 1],
    wrap: [2],
  };
}

function fileLinks(dir: string, p: RunProfile, href: (path: string) => string): Span[] {
  const spans: Span[] = [];
  const add = (label: string, rel: string | null) => {
    if (!rel) return;
    const h = href(join(dir, rel));
    spans.push(spans.length === 0 ? "" : " · ", { link: label, href: h });
  };
  add("CPU profile", p.cpu);
  add("CPU flame graph", existingFlame(dir, p.cpu, "cpu"));
  add("heap profile", p.heap);
  add("allocation flame graph", existingFlame(dir, p.heap, "heap"));
  add("GC summary", p.gc);
  return spans.filter((s) => s !== "");
}

function gcLine(p: RunProfile): Block[] {
  const g = p.gcSummary;
  if (!g) return [];
  const text = `GC over the window (${g.windowS.toFixed(2)} s): ${g.cycles} cycles, pauses ${(g.pauseTotalNs / 1e6).toFixed(2)} ms in total, ${(g.allocBytes / 2 ** 20).toFixed(1)} MiB allocated, GC CPU ${g.gcCpuSeconds.toFixed(3)} s; GOGC ${g.gogc || "default (100)"}, GOMAXPROCS ${g.gomaxprocs}.`;
  return [{ kind: "para", spans: [text] }];
}

function runBlocks(dir: string, r: RunOk & { profile: RunProfile }, href: (path: string) => string): Block[] {
  const name = `${r.target}${r.variant === "default" ? "" : `/${r.variant}`} rep ${r.rep + 1}`;
  const p = r.profile;
  const out: Block[] = [{ kind: "heading", level: 3, text: `Profile: ${name}` }];
  if (!p.format) return [...out, { kind: "para", tone: "note", spans: [`No profile: ${p.missing ?? "none was taken"}.`] }];
  out.push({ kind: "para", spans: fileLinks(dir, p, href) }, ...gcLine(p));
  const loaded = loadRunProfiles(dir, p);
  for (const problem of loaded.problems) out.push({ kind: "para", tone: "warn", spans: [`Cannot read ${problem}`] });
  if (loaded.cpu) {
    const idle =
      loaded.cpu.excluded && loaded.cpu.excluded.weight > 0
        ? ` (idle time, ${pct(loaded.cpu.excluded.weight / (loaded.cpu.total + loaded.cpu.excluded.weight))} of the samples, left out)`
        : "";
    const n = loaded.cpu.samples === null ? "" : `, ${loaded.cpu.samples} samples`;
    out.push(
      { kind: "para", tone: "note", spans: [`Top functions by CPU time${n}${idle}:`] },
      { kind: "table", table: topTable(loaded.cpu, TOP_CPU) },
    );
  }
  if (loaded.heap) {
    const when = p.heapBase
      ? "over the window: the allocation profile at its end minus at its start"
      : "since the process started, warm-up included";
    out.push(
      {
        kind: "para",
        tone: "note",
        spans: [`Top functions by bytes allocated (${when}; sampled by the runtime, one sample per 512 KiB on average):`],
      },
      { kind: "table", table: topTable(loaded.heap, TOP_HEAP) },
    );
  }
  return out;
}

/** The profiled runs of the scenario's newest result; nothing when none was profiled. */
export function profileBlocks(s: ScenarioReport, href: (path: string) => string): Block[] {
  const dir = dirname(s.latest.path);
  const runs = s.latest.result.runs.filter((r): r is RunOk & { profile: RunProfile } => r.status === "ok" && r.profile !== undefined);
  if (runs.length === 0) return [];
  const intro: Block = {
    kind: "para",
    tone: "note",
    spans: [
      "Taken with bench --profile over each run's measurement window: these runs' numbers include the profiler's cost (their verdict says profiled).",
    ],
  };
  return [{ kind: "heading", level: 3, text: "Profiles" }, intro, ...runs.flatMap((r) => runBlocks(dir, r, href))];
}
