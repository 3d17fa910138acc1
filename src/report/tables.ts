// The report's tables as data, shared by the Markdown and HTML exporters (one table builder,
// two layouts). Formats values the model holds; computes nothing.
import type { Environment, Interval, ResultFile } from "../results/schema.js";
import { formatClaimValue, type ClaimsReport } from "./claims.js";
import { formatValue, ratio, shortCommit, type FormatUnit } from "./format.js";
import type { ScenarioReport } from "./model.js";
import type { Table } from "./table.js";

const name = (target: string, variant: string) => (variant === "default" ? target : `${target}/${variant}`);

function med(iv: Interval | null, unit: FormatUnit): string {
  return iv === null ? "-" : formatValue(iv.median, unit);
}

function medInterval(iv: Interval | null, unit: FormatUnit): string {
  if (iv === null) return "-";
  if (iv.n <= 1 || iv.lo === iv.hi) return `${formatValue(iv.median, unit)} (n=${iv.n})`;
  return `${formatValue(iv.median, unit)} [${formatValue(iv.lo, unit)}, ${formatValue(iv.hi, unit)}] (n=${iv.n})`;
}

export function summaryTable(s: ScenarioReport): Table {
  return {
    header: ["target", "req/s median [lo, hi]", "p50", "p99", "p99.9", "RSS peak", "RSS mean", "GC/s", "alloc B/req", "server CPU", "server req/CPU-s", "client CPU", "client req/CPU-s", "client-bound", "failed"],
    alignRight: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    rowClass: s.summary.map((r) => (r.clientBoundRuns > 0 ? "cb" : null)),
    rows: s.summary.map((r) => [
      name(r.target, r.variant),
      medInterval(r.rps, "req/s"),
      med(r.p50Us, "us"),
      med(r.p99Us, "us"),
      med(r.p999Us, "us"),
      med(r.rssPeakBytes, "bytes"),
      med(r.rssMeanBytes, "bytes"),
      med(r.gcPerSec, "1/s"),
      med(r.allocBytesPerReq, "B/req"),
      med(r.serverCpuPct, "%"),
      med(r.serverReqPerCpuSec, "req/CPU-s"),
      med(r.clientCpuPct, "%"),
      med(r.clientReqPerCpuSec, "req/CPU-s"),
      r.clientBoundRuns > 0 ? `YES ${r.clientBoundRuns}/${r.okRuns}` : "no",
      r.failedRuns > 0 ? String(r.failedRuns) : "",
    ]),
  };
}

export function environmentTable(env: Environment, result: ResultFile): Table {
  const rows: string[][] = [
    ["hardware id", env.hardwareId],
    ["CPU", `${env.cpuModel} (${env.cores} cores)`],
    ["memory", formatValue(env.memBytes, "bytes")],
    ["kernel", `${env.kernel} (${env.os} ${env.arch})`],
    ["CPU governor", env.governor ?? "(unknown)"],
    ["Node.js", env.node],
    ["Go", env.go ?? "(not found)"],
    ...Object.entries(env.sysctl).map(([k, v]) => [`sysctl ${k}`, v]),
    ...Object.entries(env.limits).map(([k, v]) => [`limit ${k}`, v]),
    ...Object.entries(env.targets).map(([t, libs]) => [`target ${t}`, Object.entries(libs).map(([k, v]) => `${k} ${v}`).join(", ")]),
    ...Object.entries(env.tools).map(([k, v]) => [`tool ${k}`, v]),
    ["git commit", `${result.git.commit ?? "(unknown)"}${result.git.dirty ? " (dirty: uncommitted changes)" : result.git.dirty === null ? " (dirty: unknown)" : ""}`],
    ["recorded", result.createdAt],
    ["completeness", result.completeness],
  ];
  return { header: ["environment", ""], rows };
}

export function claimsTable(c: ClaimsReport): Table {
  return {
    header: ["row", "metric", "claimed", "measured median [lo, hi]", `claimed ratio to ${c.reference ?? "-"}`, "measured ratio [lo, hi]", "agrees"],
    alignRight: [2, 3, 4, 5],
    rows: c.rows.map((r) => [
      r.claimKey,
      r.label,
      formatClaimValue(r.claimed, r.unit),
      r.measured === null ? "not measured" : medInterval(r.measured, r.unit) + (r.clientBound ? " cb" : ""),
      r.claimedRatio === null ? "-" : ratio(r.claimedRatio),
      r.measuredRatio === null ? "-" : `${ratio(r.measuredRatio.value)} [${ratio(r.measuredRatio.lo)}, ${ratio(r.measuredRatio.hi)}]`,
      r.diverges === null ? "" : r.diverges ? "NO" : "yes",
    ]),
  };
}

export function historyTable(s: ScenarioReport, href: (path: string) => string): Table {
  const rows = s.summary.map((r) => name(r.target, r.variant));
  const targets = [...new Set([...rows, ...s.historyPoints.map((p) => name(p.target, p.variant))])];
  return {
    header: ["recorded", "commit", "file", ...targets.map((t) => `${t} req/s`)],
    alignRight: targets.map((_, i) => i + 3),
    rows: [...s.history].reverse().map((h) => [
      h.result.createdAt,
      `${shortCommit(h.result.git.commit)}${h.result.git.dirty ? " (dirty)" : ""}`,
      href(h.path),
      ...targets.map((t) => {
        const p = s.historyPoints.find((x) => x.path === h.path && name(x.target, x.variant) === t);
        return p?.rps ? `${formatValue(p.rps.median, "req/s")}${p.clientBound ? " cb" : ""}` : "-";
      }),
    ]),
  };
}

export function failedTable(s: ScenarioReport): Table | null {
  if (s.failed.length === 0) return null;
  return { header: ["failed or skipped run", "rep", "why"], rows: s.failed.map((f) => [name(f.target, f.variant), String(f.rep), f.failure]) };
}

const RATIO_METRIC_LABEL: Record<string, string> = {
  rps: "req/s",
  serverReqPerCpuSec: "req/server-CPU-s",
  clientReqPerCpuSec: "req/client-CPU-s",
  p99Us: "latency p99",
  rssPeakBytes: "RSS peak",
};

/** The scenario's ratios between rows as the runner evaluated them (result.ratios). */
export function ratiosTable(result: ResultFile): Table | null {
  if (result.ratios.length === 0) return null;
  return {
    header: ["ratio", "of", "goal", "measured median [lo, hi]", "verdict", "client-bound runs", "why"],
    alignRight: [3],
    rows: result.ratios.map((r) => [
      `${r.of} / ${r.to}`,
      RATIO_METRIC_LABEL[r.metric] ?? r.metric,
      [r.atLeast === null ? "" : `>= ${ratio(r.atLeast)}`, r.atMost === null ? "" : `<= ${ratio(r.atMost)}`].filter(Boolean).join(", ") || "-",
      medInterval(r.ratio, "x"),
      r.verdict === "fail" ? "FAIL" : r.verdict,
      r.clientBound > 0 ? `${r.clientBound} of ${2 * r.perRep.length}` : "0",
      r.why ?? "",
    ]),
  };
}
