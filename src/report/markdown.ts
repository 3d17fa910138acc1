// report.md: the tables of the report for reading on a forge; the charts are in report.html.
import { utf8, type Exporter } from "./exporter.js";
import type { RenderedHardwareReport } from "./rendered.js";
import { toMarkdown } from "./table.js";
import { kneeReasons, kneeTable } from "./knee-table.js"; // capacity sweeps (issue 15)
import { claimsTable, environmentTable, failedTable, historyTable, ratiosTable, summaryTable } from "./tables.js";

export const markdownReport: Exporter<RenderedHardwareReport> = {
  format: "report.md",
  serialize({ model, href }) {
    const env = model.env;
    const out: string[] = [
      `# evbench results on ${model.hardwareId}`,
      "",
      `${env.cpuModel}, ${env.cores} cores, kernel ${env.kernel}. Charts: [report.html](report.html).`,
      "",
      "Medians over repetitions with a distribution-free 95 % interval from order statistics (min..max below 6 repetitions). " +
        "**client-bound**: the client's CPU was saturated (>= 95 %), so that row's req/s describes the client, not the server; " +
        "requests per server CPU-second hold either way.",
    ];
    if (model.strayIds.length > 0) out.push("", `> Files in this folder carry other hardware ids too: ${model.strayIds.join(", ")}.`);
    for (const s of model.scenarios) {
      const r = s.latest.result;
      out.push("", `## ${s.name}`, "");
      const desc = (r.scenario as Record<string, unknown>).description;
      if (typeof desc === "string" && desc.length > 0) out.push(desc, "");
      out.push(`Newest of ${s.history.length} result${s.history.length > 1 ? "s" : ""}: [${href(s.latest.path)}](${href(s.latest.path)}), commit ${r.git.commit ?? "(unknown)"}${r.git.dirty ? " (dirty)" : ""}.`, "");
      out.push("Command:", "", "```", r.command, "```", "", toMarkdown(summaryTable(s)));
      const failed = failedTable(s);
      if (failed) out.push("", toMarkdown(failed));
      if (r.sweeps?.length) out.push("", "### Knees", "", toMarkdown(kneeTable(r.sweeps)), ...kneeReasons(r.sweeps).map((l) => `\n- ${l}`)); // issue 15
      const ratios = ratiosTable(r);
      if (ratios) out.push("", "### Ratios between rows", "", "Taken per repetition (the two rows ran side by side), then the median.", "", toMarkdown(ratios));
      if (s.claims) {
        out.push("", `### Claims: ${s.claims.source}`, "", `Condition as written: ${s.claims.condition}.`, "");
        out.push(toMarkdown(claimsTable(s.claims)));
        if (s.claims.divergences.length > 0) out.push("", "Divergences:", "", ...s.claims.divergences.map((d) => `- ${d}`));
        if (s.claims.unmatched.length > 0) out.push("", `Claimed but not measured here: ${s.claims.unmatched.join(", ")}.`);
      }
      if (s.history.length > 1) out.push("", "### History", "", toMarkdown(historyTable(s, href)));
      out.push("", "### Environment", "", toMarkdown(environmentTable(r.env, r)));
    }
    return utf8(out.join("\n") + "\n");
  },
};
