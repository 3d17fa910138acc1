// The claimed-versus-measured part of the terminal output: the same table and divergence lines
// as the report (src/report/claims.ts, src/present/claims-table.ts).
import { claimsTable } from "../present/claims-table.js";
import { toText } from "../present/table.js";
import { buildClaimsReport } from "../present/claims.js";
import type { ResultFile } from "../model/index.js";

export function claimsSection(r: ResultFile): string | null {
  const c = buildClaimsReport(r);
  if (!c) return null;
  const lines = [
    `Claimed (${c.source}; ${c.condition}) vs measured on this machine; ratios to ${c.reference ?? "no reference row"}:`,
    toText(claimsTable(c), true),
  ];
  if (c.divergences.length > 0) lines.push("", ...c.divergences.map((d) => `divergence: ${d}`));
  if (c.unmatched.length > 0) lines.push(`claimed rows not measured in this result: ${c.unmatched.join(", ")}`);
  return lines.join("\n");
}
