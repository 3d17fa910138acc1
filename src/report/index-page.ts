// results/index.html: every hardware id with its machine, its scenarios and their results over
// time, linking to each folder's report and result files.
import path from "node:path";

import type { LoadedResult } from "../results/reader.js";
import { utf8, type Exporter } from "./exporter.js";
import { shortCommit } from "../present/format.js";
import { scenarioPage } from "./document.js";
import { page } from "./html.js";
import { escapeHtml } from "../present/table.js";

export interface IndexModel {
  resultsDir: string;
  hardware: Array<{ dir: string; results: LoadedResult[] }>;
}

export const indexPage: Exporter<IndexModel> = {
  format: "index.html",
  serialize({ resultsDir, hardware }) {
    const rel = (p: string) => path.relative(resultsDir, p).split(path.sep).join("/");
    const b: string[] = [
      "<h1>evbench results</h1>",
      '<p class="note">One section per hardware id. Numbers measured on one machine do not transfer to another; compare within a section.</p>',
    ];
    if (hardware.length === 0) b.push("<p>No results yet.</p>");
    for (const h of hardware) {
      const sorted = [...h.results].sort((a, b2) => b2.result.createdAt.localeCompare(a.result.createdAt));
      const env = sorted[0]!.result.env;
      const id = path.basename(h.dir);
      b.push(
        `<h2>${escapeHtml(id)}</h2>`,
        `<p>${escapeHtml(env.cpuModel)} · ${env.cores} cores · kernel ${escapeHtml(env.kernel)} · <a href="${escapeHtml(rel(path.join(h.dir, "report.html")))}">report</a> · <a href="${escapeHtml(rel(path.join(h.dir, "report.md")))}">report.md</a></p>`,
      );
      const scenarios = [...new Set(sorted.map((r) => r.result.scenario.name))].sort();
      b.push("<table><thead><tr><th>scenario</th><th>results, newest first</th></tr></thead><tbody>");
      for (const sc of scenarios) {
        const runs = sorted
          .filter((r) => r.result.scenario.name === sc)
          .map(
            (r) =>
              `<a href="${escapeHtml(rel(r.path))}">${escapeHtml(r.result.createdAt)}</a> (${escapeHtml(shortCommit(r.result.git.commit))}${r.result.git.dirty ? ", dirty" : ""})`,
          );
        b.push(
          `<tr><td><a href="${escapeHtml(rel(path.join(h.dir, scenarioPage(sc))))}">${escapeHtml(sc)}</a></td><td class="wrap">${runs.join("<br>")}</td></tr>`,
        );
      }
      b.push("</tbody></table>");
    }
    return utf8(page("evbench results", b));
  },
};
