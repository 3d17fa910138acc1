// The service's own runtime counters at a window's edge: Prometheus /metrics first, expvar
// /debug/vars second. Whatever cannot be had is a reason, never a zero.
import { expvarFigures } from "./expvar.js";
import { httpGet } from "./http-get.js";
import { goFigures, parsePrometheusText, type GoProcessFigures } from "./prometheus.js";

export interface MetricsPaths {
  /** Prometheus text format; null: not scraped. */
  prometheus: string | null;
  /** expvar JSON; null: not scraped. */
  expvar: string | null;
}

export type Scraped = { source: string; figures: GoProcessFigures } | { missing: string };

const SCRAPE_TIMEOUT_MS = 2000;

async function tryPrometheus(host: string, port: number, path: string): Promise<Scraped> {
  const r = await httpGet(host, port, path, SCRAPE_TIMEOUT_MS);
  if (r.status !== 200) return { missing: `GET ${path} answered ${r.status}` };
  const f = goFigures(parsePrometheusText(r.body.toString("utf8")));
  if (f.gcCycles === null && f.allocBytes === null)
    return { missing: `GET ${path} has no go_gc_duration_seconds or go_memstats_* series (not client_golang's Go collector)` };
  return { source: `prometheus ${path}`, figures: f };
}

async function tryExpvar(host: string, port: number, path: string): Promise<Scraped> {
  const r = await httpGet(host, port, path, SCRAPE_TIMEOUT_MS);
  if (r.status !== 200) return { missing: `GET ${path} answered ${r.status}` };
  let doc: unknown;
  try {
    doc = JSON.parse(r.body.toString("utf8"));
  } catch {
    return { missing: `GET ${path} is not JSON` };
  }
  const f = expvarFigures(doc);
  return f ? { source: `expvar ${path}`, figures: f } : { missing: `GET ${path} has no memstats` };
}

/** The first source that answers with Go figures, or every source's reason. */
export async function scrapeRuntime(host: string, port: number, paths: MetricsPaths): Promise<Scraped> {
  const reasons: string[] = [];
  const tries: [string | null, typeof tryPrometheus][] = [
    [paths.prometheus, tryPrometheus],
    [paths.expvar, tryExpvar],
  ];
  for (const [path, fn] of tries) {
    if (path === null) continue;
    try {
      const s = await fn(host, port, path);
      if ("source" in s) return s;
      reasons.push(s.missing);
    } catch (e) {
      reasons.push((e as Error).message);
    }
  }
  return {
    missing: reasons.length > 0 ? reasons.join("; ") : "no metrics endpoint was named (metrics.prometheus and metrics.expvar are off)",
  };
}
