// The sweep in the terminal: one line per step as it finishes, and a knee table at the end.
import type { SweepResult, SweepStep } from "../results/schema.js";
import { fmtCount, fmtInterval, fmtUs } from "../ui/format.js";

export function stepLine(target: string, variant: string, rep: number, s: SweepStep): string {
  const l = s.latencyUs;
  const met = Object.entries(s.meets).map(([k, v]) => `${k} ${v ? "met" : "BROKEN"}`).join(", ");
  const flags = [s.saturated ? "SATURATED" : "", s.clientBound ? "CLIENT-BOUND" : "", s.errorShare > 0 ? `errors ${(s.errorShare * 100).toFixed(2)}%` : ""].filter(Boolean);
  return (
    `  ${target}/${variant} rep ${rep + 1} ${s.phase.padEnd(7)} offered ${fmtCount(s.offeredRps).padStart(7)}  achieved ${fmtCount(s.achievedRps).padStart(7)}` +
    `  p50 ${fmtUs(l.p50)}  p99 ${fmtUs(l.p99)}  p99.9 ${fmtUs(l.p999)}  max ${fmtUs(l.max)}` +
    `  cpu server ${s.serverCpuPct === null ? "-" : `${s.serverCpuPct.toFixed(0)}%`} client ${s.clientCpuPct.toFixed(0)}%  ${met}${flags.length ? `  ${flags.join(" ")}` : ""}`
  );
}

function kneeCell(k: SweepResult["knee"][number]): string {
  if (k.bound === "none") return `none (${k.note})`;
  return `${k.bound === "atLeast" ? ">= " : ""}${fmtInterval(k.rps, fmtCount)} req/s`;
}

export function kneeTable(sweeps: readonly SweepResult[]): string {
  const rows: string[][] = [["target", "conns", "SLO", "knee (median [interval])", "saturation", "verdict"]];
  for (const sw of sweeps) {
    for (const k of sw.knee) {
      rows.push([sw.target, String(sw.load.connections), k.slo, kneeCell(k), sw.saturationRps ? `${fmtInterval(sw.saturationRps, fmtCount)} req/s` : "not reached", sw.verdict.verdict]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd());
  const reasons = sweeps.flatMap((sw) => sw.verdict.reasons.map((r) => `  ${sw.target}/${sw.variant}: ${r.kind}: ${r.message}`));
  return [...lines, ...(reasons.length ? ["", ...reasons] : [])].join("\n");
}
