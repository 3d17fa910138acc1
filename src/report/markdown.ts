// report.md: the report's document for reading on a forge; the charts are in report.html.
import { renderMarkdown } from "../present/doc.js";
import { reportBlocks } from "./document.js";
import { utf8, type Exporter } from "./exporter.js";
import type { RenderedHardwareReport } from "./rendered.js";

export const markdownReport: Exporter<RenderedHardwareReport> = {
  format: "report.md",
  serialize(r) {
    return utf8(renderMarkdown(reportBlocks(r, "md")) + "\n");
  },
};
