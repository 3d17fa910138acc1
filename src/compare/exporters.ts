// Compare's exporters: text for terminals, Markdown for pull requests, JSON for machines. All
// three take the computed comparisons and only lay them out.
import { utf8, type Exporter } from "../report/exporter.js";
import { toMarkdown, toText } from "../report/table.js";
import type { Comparison } from "./model.js";
import { footnotes, gateLines, metricTable, rowName, sideLine } from "./table.js";

function unmatchedLines(c: Comparison): string[] {
  return c.unmatched.map((u) => `${rowName(u.target, u.variant)} only in ${u.side}`);
}

export const textExporter: Exporter<Comparison[]> = {
  format: "text",
  serialize(cs) {
    const parts = cs.map((c) => {
      const lines = [sideLine("old", c.old), sideLine("new", c.new)];
      for (const n of c.notes) lines.push(`note: ${n}`);
      for (const w of c.warnings) lines.push(`warning: ${w}`);
      for (const u of unmatchedLines(c)) lines.push(`unmatched: ${u}`);
      for (const t of c.metrics) lines.push("", toText(metricTable(t)));
      lines.push("", ...footnotes(c));
      const g = gateLines(c);
      if (g.length > 0) lines.push("", ...g);
      return lines.join("\n");
    });
    return utf8(parts.join("\n\n" + "=".repeat(72) + "\n\n") + "\n");
  },
};

export const markdownExporter: Exporter<Comparison[]> = {
  format: "markdown",
  serialize(cs) {
    const parts = cs.map((c) => {
      const lines = [`## ${c.new.scenario} on ${c.new.hardwareId}`, "", `- ${sideLine("old", c.old)}`, `- ${sideLine("new", c.new)}`];
      for (const n of c.notes) lines.push(`- note: ${n}`);
      if (c.warnings.length + c.unmatched.length > 0) {
        lines.push("", "**Warnings**", "");
        for (const w of c.warnings) lines.push(`- ${w}`);
        for (const u of unmatchedLines(c)) lines.push(`- ${u}`);
      }
      for (const t of c.metrics) lines.push("", toMarkdown(metricTable(t)));
      lines.push("", ...footnotes(c).map((f) => `- ${f}`));
      const g = gateLines(c);
      if (g.length > 0) lines.push("", "```", ...g, "```");
      return lines.join("\n");
    });
    return utf8(parts.join("\n\n") + "\n");
  },
};

export const jsonExporter: Exporter<Comparison[]> = {
  format: "json",
  serialize(cs) {
    return utf8(JSON.stringify({ schema: "evbench/compare@1", comparisons: cs }, null, 2) + "\n");
  },
};

export const EXPORTERS = { text: textExporter, markdown: markdownExporter, json: jsonExporter } as const;
