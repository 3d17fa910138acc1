// Prometheus text exposition format (version 0.0.4): `name{labels} value [timestamp]` lines,
// `#` comments. Only what the harness reads from a Go service is kept: samples by their full
// series key (name plus labels as written), values as numbers (NaN and +Inf included).

export type Samples = Map<string, number>;

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?)\s+(\S+)(?:\s+-?\d+)?\s*$/;

export function parsePrometheusText(text: string): Samples {
  const out: Samples = new Map();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const v = m[2] === "+Inf" ? Infinity : m[2] === "-Inf" ? -Infinity : Number(m[2]);
    out.set(m[1]!, v);
  }
  return out;
}

/** The Go runtime's and the process's figures as client_golang's default collectors name them. */
export interface GoProcessFigures {
  gcCycles: number | null;
  gcPauseNs: number | null;
  allocBytes: number | null;
  allocObjects: number | null;
  heapBytes: number | null;
  processCpuS: number | null;
  processRssBytes: number | null;
}

export function goFigures(s: Samples): GoProcessFigures {
  const get = (k: string) => {
    const v = s.get(k);
    return v === undefined || !Number.isFinite(v) ? null : v;
  };
  const pauseS = get("go_gc_duration_seconds_sum");
  return {
    gcCycles: get("go_gc_duration_seconds_count"),
    gcPauseNs: pauseS === null ? null : pauseS * 1e9,
    allocBytes: get("go_memstats_alloc_bytes_total"),
    allocObjects: get("go_memstats_mallocs_total"),
    heapBytes: get("go_memstats_heap_alloc_bytes"),
    processCpuS: get("process_cpu_seconds_total"),
    processRssBytes: get("process_resident_memory_bytes"),
  };
}
