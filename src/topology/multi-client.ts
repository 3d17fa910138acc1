// One load spread over several client hosts (ssh topology): the connections (and a constant rate)
// split evenly, one client process per host started at once, and their results merged exactly
// by the merge the several-process generator uses (src/load/merge-results.ts). The
// runner sees one generator and one result; each host's share, CPU and p99 are kept apart.
import { mergeLoadResults } from "../load/merge-results.js";
import type { LoadGenerator, LoadSpec, Progress, RunHooks } from "../load/types.js";
import type { Placement } from "../proc/placement.js";
import { RemoteSampler } from "./remote-sampler-client.js";

export interface ClientHostFigures {
  host: string;
  requests: number;
  /** This host's requests / all hosts' requests. */
  share: number;
  rps: number;
  p99Us: number;
  cpuPct: number | null;
}

export interface ClientHost {
  host: string;
  place: Placement;
}

/** n split as evenly as integers allow, the remainder to the first hosts. */
export function splitEvenly(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0));
}

/** A generator that runs `base` on every host; `onFigures` receives each run's per-host figures. */
export function multiHostGenerator(base: LoadGenerator, hosts: ClientHost[], onFigures: (f: ClientHostFigures[]) => void): LoadGenerator {
  return {
    name: base.name,
    unavailableReason: () => base.unavailableReason(),
    run: async (spec: LoadSpec, hooks: RunHooks & { onClientPid?: (pid: number) => void }) => {
      const conns = splitEvenly(spec.connections, hosts.length);
      if (conns.some((c) => c === 0)) throw new Error(`${spec.connections} connections cannot be split over ${hosts.length} client hosts`);
      const samplers = hosts.map((h) => new RemoteSampler(h.place, h.place.mark!));
      const cpu: (number | null)[] = hosts.map(() => null);
      const progress: (Progress | null)[] = hosts.map(() => null);
      let started = 0;
      let ended = 0;
      try {
        const results = await Promise.all(
          hosts.map((h, i) =>
            base.run(
              {
                ...spec,
                connections: conns[i]!,
                rate: spec.rate === null ? null : (spec.rate * conns[i]!) / spec.connections,
                place: h.place,
              },
              {
                onClientPid: (pid) => {
                  samplers[i]!.start();
                  if (i === 0) hooks.onClientPid?.(pid);
                },
                onMeasureStart: () => {
                  samplers[i]!.windowStart();
                  if (++started === 1) hooks.onMeasureStart?.(); // the window opens with the first host's
                },
                onMeasureEnd: () => {
                  cpu[i] = samplers[i]!.windowEnd().cpuPct;
                  if (++ended === hosts.length) hooks.onMeasureEnd?.(); // and closes with the last host's
                },
                onProgress: (p) => {
                  progress[i] = p;
                  const all = progress.filter((x): x is Progress => x !== null);
                  hooks.onProgress?.({
                    ...p,
                    requests: all.reduce((a, x) => a + x.requests, 0),
                    errors: all.reduce((a, x) => a + x.errors, 0),
                    p99Us: null,
                  });
                },
              },
            ),
          ),
        );
        const total = results.reduce((a, r) => a + r.requests, 0);
        onFigures(
          results.map((r, i) => ({
            host: hosts[i]!.host,
            requests: r.requests,
            share: total > 0 ? r.requests / total : 0,
            rps: r.rps,
            p99Us: r.latency.getValueAtPercentile(99),
            cpuPct: cpu[i] ?? null,
          })),
        );
        return mergeLoadResults(results);
      } finally {
        for (const s of samplers) s.stop();
      }
    },
  };
}
