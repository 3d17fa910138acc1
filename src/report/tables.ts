// The report's own tables as data (environment, history, failed runs); the summary, ratios and
// claims tables come from the present layer, shared with the terminal.
import { formatBytes, formatValue, shortCommit } from "../present/format.js";
import { rowName } from "../present/summary-table.js";
import type { Table } from "../present/table.js";
import type { Environment, ResultFile } from "../model/index.js";
import type { ScenarioReport } from "./model.js";

export function environmentTable(env: Environment, result: ResultFile): Table {
  const dirty = result.git.dirty ? " (dirty: uncommitted changes)" : result.git.dirty === null ? " (dirty: unknown)" : "";
  const rows: string[][] = [
    ["hardware id", env.hardwareId],
    ["CPU", `${env.cpuModel} (${env.cores} cores)`],
    ["memory", formatBytes(env.memBytes)],
    ["kernel", `${env.kernel} (${env.os} ${env.arch})`],
    ["CPU governor", env.governor ?? "(unknown)"],
    ["Node.js", env.node],
    ["Go", env.go ?? "(not found)"],
    ...Object.entries(env.sysctl).map(([k, v]) => [`sysctl ${k}`, v]),
    ...Object.entries(env.limits).map(([k, v]) => [`limit ${k}`, v]),
    ...Object.entries(env.targets).map(([t, libs]) => [
      `target ${t}`,
      Object.entries(libs)
        .map(([k, v]) => `${k} ${v}`)
        .join(", "),
    ]),
    ...Object.entries(env.tools).map(([k, v]) => [`tool ${k}`, v]),
    ["git commit", `${result.git.commit ?? "(unknown)"}${dirty}`],
    ["recorded", result.createdAt],
    ["completeness", result.completeness],
  ];
  return { header: ["environment", ""], rows, wrap: [1] };
}

export function historyTable(s: ScenarioReport, href: (path: string) => string): Table {
  const rows = s.summary.map((r) => rowName(r.target, r.variant));
  const targets = [...new Set([...rows, ...s.historyPoints.map((p) => rowName(p.target, p.variant))])];
  return {
    header: ["recorded", "commit", "file", ...targets.map((t) => `${t} req/s`)],
    alignRight: targets.map((_, i) => i + 3),
    rows: [...s.history].reverse().map((h) => [
      h.result.createdAt,
      `${shortCommit(h.result.git.commit)}${h.result.git.dirty ? " (dirty)" : ""}`,
      href(h.path),
      ...targets.map((t) => {
        const p = s.historyPoints.find((x) => x.path === h.path && rowName(x.target, x.variant) === t);
        return p?.rps ? `${formatValue(p.rps.median, "req/s")}${p.clientBound ? " cb" : ""}` : "-";
      }),
    ]),
  };
}

export function failedTable(s: ScenarioReport): Table | null {
  if (s.failed.length === 0) return null;
  return {
    header: ["failed or skipped run", "rep", "why"],
    wrap: [2],
    rows: s.failed.map((f) => [rowName(f.target, f.variant), String(f.rep), f.failure]),
  };
}
