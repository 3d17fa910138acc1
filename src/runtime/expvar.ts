// expvar's /debug/vars: a JSON object whose "memstats" is runtime.MemStats as Go marshals it.
import type { GoProcessFigures } from "./prometheus.js";

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The same figures as from /metrics, or null when the document has no memstats. */
export function expvarFigures(doc: unknown): GoProcessFigures | null {
  if (!doc || typeof doc !== "object") return null;
  const ms = (doc as Record<string, unknown>).memstats;
  if (!ms || typeof ms !== "object") return null;
  const m = ms as Record<string, unknown>;
  return {
    gcCycles: num(m.NumGC),
    gcPauseNs: num(m.PauseTotalNs),
    allocBytes: num(m.TotalAlloc),
    allocObjects: num(m.Mallocs),
    heapBytes: num(m.HeapAlloc),
    processCpuS: null,
    processRssBytes: null,
  };
}
