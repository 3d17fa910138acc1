// Summary rows: per target and variant, the median and 95 % interval of each metric over the
// repetitions that succeeded.
import type { Run, RunOk, SummaryRow } from "../results/schema.js";
import { summarize } from "../stats/index.js";
import { rowVerdict } from "../verdict/index.js";

export function summarizeRuns(runs: Run[]): SummaryRow[] {
  const keys: string[] = [];
  const groups = new Map<string, Run[]>();
  for (const r of runs) {
    const k = `${r.target}\u0000${r.variant}`;
    if (!groups.has(k)) {
      groups.set(k, []);
      keys.push(k);
    }
    groups.get(k)!.push(r);
  }
  return keys.map((k) => {
    const all = groups.get(k)!;
    const ok = all.filter((r): r is RunOk => r.status === "ok");
    const of = (f: (r: RunOk) => number | null) => {
      const v = ok.map(f).filter((x): x is number => x !== null && Number.isFinite(x));
      return v.length > 0 ? summarize(v) : null;
    };
    return {
      target: all[0]!.target,
      variant: all[0]!.variant,
      okRuns: ok.length,
      failedRuns: all.filter((r) => r.status === "failed").length,
      skippedRuns: all.filter((r) => r.status === "skipped").length,
      rps: of((r) => r.rps),
      p50Us: of((r) => r.latencyUs.p50),
      p99Us: of((r) => r.latencyUs.p99),
      p999Us: of((r) => r.latencyUs.p999),
      rssPeakBytes: of((r) => r.server.rssPeakBytes),
      rssMeanBytes: of((r) => r.server.rssMeanBytes),
      gcPerSec: of((r) => r.server.gcPerSec),
      allocBytesPerReq: of((r) => r.server.allocBytesPerReq),
      serverCpuPct: of((r) => r.server.cpuPct),
      serverReqPerCpuSec: of((r) => r.server.reqPerCpuSec),
      clientCpuPct: of((r) => r.client.cpuPct),
      clientReqPerCpuSec: of((r) => r.client.reqPerCpuSec),
      clientBoundRuns: ok.filter((r) => r.client.clientBound).length,
      verdict: rowVerdict(all),
    };
  });
}
