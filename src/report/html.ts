// report.html (the hardware folder's index) and report-<scenario>.html (a scenario with its
// charts as inline SVG). No scripts, no external stylesheets or fonts: each page opens offline.
import { renderHtml } from "../present/doc.js";
import { escapeHtml } from "../present/table.js";
import { reportBlocks, scenarioPageBlocks } from "./document.js";
import { utf8, type Exporter } from "./exporter.js";
import type { ScenarioReport } from "./model.js";
import type { RenderedHardwareReport } from "./rendered.js";
import { CSS } from "./style.js";

export function page(title: string, body: string[]): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No network: forbid anything that is not inline.
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    "</head><body>",
    ...body,
    "</body></html>",
  ].join("\n");
}

export const htmlReport: Exporter<RenderedHardwareReport> = {
  format: "report.html",
  serialize(r) {
    return utf8(page(`evbench: ${r.model.hardwareId}`, [renderHtml(reportBlocks(r, "html"))]));
  },
};

/** One scenario's page, report-<name>.html. */
export function scenarioHtml(r: RenderedHardwareReport, s: ScenarioReport): Uint8Array {
  return utf8(page(`evbench: ${s.name} on ${r.model.hardwareId}`, [renderHtml(scenarioPageBlocks(r, s))]));
}
