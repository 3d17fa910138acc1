// Compare's exporters: text for terminals, Markdown for pull requests, JSON for machines. Text and
// Markdown render the one document of src/compare/table.ts; none of them computes anything.
import { renderMarkdown, renderText } from "../present/doc.js";
import { utf8, type Exporter } from "../report/exporter.js";
import type { Comparison } from "./model.js";
import { comparisonBlocks } from "./table.js";

export const textExporter: Exporter<Comparison[]> = {
  format: "text",
  serialize(cs) {
    return utf8(cs.map((c) => renderText(comparisonBlocks(c))).join("\n\n" + "=".repeat(72) + "\n\n") + "\n");
  },
};

export const markdownExporter: Exporter<Comparison[]> = {
  format: "markdown",
  serialize(cs) {
    return utf8(
      cs
        .map((c) =>
          renderMarkdown([{ kind: "heading", level: 2, text: `${c.new.scenario} on ${c.new.hardwareId}` }, ...comparisonBlocks(c)]),
        )
        .join("\n\n") + "\n",
    );
  },
};

export const jsonExporter: Exporter<Comparison[]> = {
  format: "json",
  serialize(cs) {
    return utf8(JSON.stringify({ schema: "evbench/compare@1", comparisons: cs }, null, 2) + "\n");
  },
};

export const EXPORTERS = { text: textExporter, markdown: markdownExporter, json: jsonExporter } as const;
