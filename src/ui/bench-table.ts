// The table printed at the end of `bench`: one row per target and variant, medians with their
// 95 % intervals, efficiency beside throughput, and who was saturated.
import type { ResultFile } from "../results/schema.js";
import { fmtBytes, fmtCount, fmtInterval, fmtPct, fmtUs } from "./format.js";
import { renderTable } from "./table.js";

export function benchTable(r: ResultFile): string {
  // When variants load differently (generator, pipelining), each row says how it was loaded.
  const loadOf = (t: string, v: string) => r.runs.find((x) => x.target === t && x.variant === v)?.load;
  const loads = new Set(r.runs.map((x) => JSON.stringify(x.load)));
  const perRowLoad = loads.size > 1;
  // With a reference row (the claims' reference), every row's req/s is also shown as a ratio to it.
  const refName = (r.scenario as { claims?: { reference?: string } | null }).claims?.reference ?? null;
  const [refTarget, refVariant] = refName?.includes("/") ? refName.split("/", 2) : [refName, "default"];
  const ref = refName ? r.summary.find((x) => x.target === refTarget && x.variant === refVariant) : undefined;
  const refRps = ref?.rps?.median ?? null;
  const header = ["target", ...(perRowLoad ? ["load"] : []), "req/s (median [95% CI])", ...(refName ? [`vs ${refName}`] : []), "p50", "p99", "p99.9", "RSS peak", "RSS mean", "GC/s", "alloc B/req", "srv CPU", "req/srv-CPU-s", "cli CPU", "note"];
  const rows = r.summary.map((s) => {
    const name = s.variant === "default" ? s.target : `${s.target}/${s.variant}`;
    if (s.okRuns === 0) {
      const other = r.runs.find((x) => x.target === s.target && x.variant === s.variant && x.status !== "ok");
      const label = other?.status === "skipped" ? "SKIPPED" : "FAILED";
      const text = other?.status === "skipped" ? other.reason : other?.status === "failed" ? other.failure : "failed";
      const why = text.split("\n")[0]!.slice(0, 100);
      return [name, ...(perRowLoad ? [loadLabel(loadOf(s.target, s.variant))] : []), label, ...(refName ? [""] : []), "", "", "", "", "", "", "", "", "", "", why];
    }
    const notes: string[] = [];
    if (s.clientBoundRuns > 0) notes.push(`CLIENT-BOUND ${s.clientBoundRuns}/${s.okRuns}`);
    if (s.failedRuns > 0) notes.push(`${s.failedRuns} failed`);
    return [
      name,
      ...(perRowLoad ? [loadLabel(loadOf(s.target, s.variant))] : []),
      fmtInterval(s.rps, fmtCount),
      ...(refName ? [refRps && s.rps ? `${(s.rps.median / refRps).toFixed(2)}x` : "-"] : []),
      fmtInterval(s.p50Us, fmtUs, false),
      fmtInterval(s.p99Us, fmtUs, false),
      fmtInterval(s.p999Us, fmtUs, false),
      fmtInterval(s.rssPeakBytes, fmtBytes, false),
      fmtInterval(s.rssMeanBytes, fmtBytes, false),
      fmtInterval(s.gcPerSec, (n) => n.toFixed(1), false),
      fmtInterval(s.allocBytesPerReq, (n) => n.toFixed(0), false),
      fmtInterval(s.serverCpuPct, fmtPct, false),
      fmtInterval(s.serverReqPerCpuSec, fmtCount, false),
      fmtInterval(s.clientCpuPct, fmtPct, false),
      notes.join(", "),
    ];
  });
  const load = perRowLoad ? undefined : r.runs[0]?.load;
  const pin = (r.scenario as { cpus?: { server: number[]; client: number[] } | null }).cpus;
  const lines = [
    renderTable(header, rows),
    "",
    load
      ? `load: ${load.generator}, ${load.connections} connections, ${load.threads} client thread(s), pipeline ${load.pipeline}, ${load.rate ? `${load.rate} req/s open loop` : "closed loop"}, ${load.echo ? `raw TCP echo of ${load.bodyBytes} B messages` : `${load.method} ${load.path}${load.bodyBytes ? ` with ${load.bodyBytes} B body` : ""}`}, ${load.keepAlive ? "keep-alive" : "a new connection per request"}; warm-up ${load.warmupS}s excluded, ${load.durationS}s measured`
      : "",
    pin ? `pinned: server on CPU ${pin.server.join(",")}, client on CPU ${pin.client.join(",")} (taskset)` : "not pinned: client and server share the CPUs",
    "memory = RSS of the target's process group from /proc over the window; GC/s = GC cycles in the window / its length",
  ];
  return lines.filter((l) => l !== "").join("\n");
}

function loadLabel(l: ResultFile["runs"][number]["load"] | undefined): string {
  if (!l) return "";
  return `${l.generator} c${l.connections} p${l.pipeline}${l.rate ? ` @${l.rate}/s` : ""}${l.keepAlive ? "" : " no-ka"}`;
}
