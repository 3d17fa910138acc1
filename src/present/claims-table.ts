// Claimed versus measured as a table, the same in the terminal and the report.
import type { ClaimsReport } from "./claims.js";
import { formatRatio, formatValue } from "./format.js";
import { formatInterval } from "./interval.js";
import type { Table } from "./table.js";

export function claimsTable(c: ClaimsReport): Table {
  return {
    header: [
      "row",
      "metric",
      "claimed",
      "measured median (interval)",
      `claimed ratio to ${c.reference ?? "-"}`,
      "measured ratio (conservative interval)",
      "agrees",
    ],
    alignRight: [2, 3, 4, 5],
    rowClass: c.rows.map((r) => (r.clientBound ? "clientBound" : null)),
    rows: c.rows.map((r) => [
      r.claimKey,
      r.label,
      formatValue(r.claimed, r.unit),
      r.measured === null
        ? "not measured"
        : formatInterval(r.measured, (v) => formatValue(v, r.unit)) + (r.clientBound ? " client-bound" : ""),
      r.claimedRatio === null ? (r.claimKey === c.reference ? "reference" : "-") : formatRatio(r.claimedRatio),
      r.measuredRatio === null
        ? "-"
        : r.measuredRatio.lo === r.measuredRatio.hi
          ? formatRatio(r.measuredRatio.value)
          : `${formatRatio(r.measuredRatio.value)} (${formatRatio(r.measuredRatio.lo)}..${formatRatio(r.measuredRatio.hi)})`,
      r.diverges === null ? "" : r.diverges ? "NO" : "yes",
    ]),
  };
}
