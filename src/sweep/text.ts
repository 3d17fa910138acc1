// The sweep in the terminal: one line per step as it finishes, and a knee table at the end.
import type { SweepResult, SweepStep } from "../model/index.js";
import { kneeReasons, kneeTable } from "../report/knee-table.js";
import { toText } from "../present/table.js";
import { fmtCount, fmtUs } from "../ui/format.js";

export function stepLine(target: string, variant: string, rep: number, s: SweepStep): string {
  const l = s.latencyUs;
  // Nothing answered: no latency was measured, and 0 µs would read as a fast server.
  const us = (v: number) => (s.achievedRps > 0 ? fmtUs(v) : "-");
  const met = Object.entries(s.meets)
    .map(([k, v]) => `${k} ${v ? "met" : "BROKEN"}`)
    .join(", ");
  const flags = [
    s.saturated ? "SATURATED" : "",
    s.clientBound ? "CLIENT-BOUND" : "",
    s.errorShare > 0 ? `errors ${(s.errorShare * 100).toFixed(2)}%` : "",
  ].filter(Boolean);
  return (
    `  ${target}/${variant} rep ${rep + 1} ${s.phase.padEnd(7)} offered ${fmtCount(s.offeredRps).padStart(7)}  achieved ${fmtCount(s.achievedRps).padStart(7)}` +
    `  p50 ${us(l.p50)}  p99 ${us(l.p99)}  p99.9 ${us(l.p999)}  max ${us(l.max)}` +
    `  cpu server ${s.serverCpuPct === null ? "-" : `${s.serverCpuPct.toFixed(0)}%`} client ${s.clientCpuPct.toFixed(0)}%${s.cpuPressurePct === null ? "" : ` pressure ${s.cpuPressurePct.toFixed(0)}%`}  ${met}${flags.length ? `  ${flags.join(" ")}` : ""}`
  );
}

export function kneeSummary(sweeps: readonly SweepResult[]): string {
  const reasons = kneeReasons(sweeps).map((l) => `  ${l}`);
  return [toText(kneeTable(sweeps)), ...(reasons.length ? ["", ...reasons] : [])].join("\n");
}
