// The claimed-versus-measured part of the terminal output: the same rows and divergence lines
// as the report (src/report/claims.ts), as a text table.
import { buildClaimsReport, formatClaimValue } from "../report/claims.js";
import { ratio } from "../report/format.js";
import type { ResultFile } from "../results/schema.js";
import { renderTable } from "./table.js";

export function claimsSection(r: ResultFile): string | null {
  const c = buildClaimsReport(r);
  if (!c) return null;
  const rows = c.rows.map((x) => [
    x.claimKey,
    x.label,
    formatClaimValue(x.claimed, x.unit),
    x.measured ? formatClaimValue(x.measured.median, x.unit) : "not measured",
    x.claimedRatio === null ? (x.claimKey === c.reference ? "reference" : "-") : ratio(x.claimedRatio),
    x.measuredRatio === null
      ? "-"
      : `${ratio(x.measuredRatio.value)}${x.measuredRatio.lo !== x.measuredRatio.hi ? ` [${ratio(x.measuredRatio.lo)}-${ratio(x.measuredRatio.hi)}]` : ""}`,
    x.diverges ? "DIVERGES" : "",
    x.clientBound ? "client-bound" : "",
  ]);
  const lines = [
    `Claimed (${c.source}; ${c.condition}) vs measured on this machine; ratios to ${c.reference ?? "no reference row"}:`,
    renderTable(["row", "metric", "claimed", "measured", "claimed ratio", "measured ratio [interval]", "", ""], rows),
  ];
  if (c.divergences.length > 0) lines.push("", ...c.divergences.map((d) => `divergence: ${d}`));
  if (c.unmatched.length > 0) lines.push(`claimed rows not measured in this result: ${c.unmatched.join(", ")}`);
  return lines.join("\n");
}
