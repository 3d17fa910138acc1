// GC and allocation counters for a Node process: GC cycles and pause time from perf_hooks'
// `gc` entries; bytes allocated from v8.GCProfiler (each GC's heap before minus after is what
// it freed, so allocated = used now - used at start + freed by all GCs).
import { PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";

export function startGcMeter() {
  let gcCycles = 0;
  let gcPauseNs = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcCycles++;
      gcPauseNs += Math.round(e.duration * 1e6);
    }
  });
  obs.observe({ entryTypes: ["gc"] });

  const usedAtStart = v8.getHeapStatistics().used_heap_size;
  let freed = 0;
  let profiler = new v8.GCProfiler();
  profiler.start();

  return function read() {
    // stop() hands back the GCs since start(); a new profiler continues the count.
    const data = profiler.stop();
    profiler = new v8.GCProfiler();
    profiler.start();
    for (const s of data?.statistics ?? []) {
      const before = s.beforeGC?.heapStatistics?.usedHeapSize ?? 0;
      const after = s.afterGC?.heapStatistics?.usedHeapSize ?? 0;
      if (before > after) freed += before - after;
    }
    const h = v8.getHeapStatistics();
    return {
      gcCycles,
      gcPauseNs,
      allocBytes: Math.max(0, h.used_heap_size - usedAtStart + freed),
      allocObjects: null,
      heapBytes: h.used_heap_size,
    };
  };
}
