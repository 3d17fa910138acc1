// report.html: the same tables as report.md plus the charts, as inline SVG. One file, no scripts,
// no external stylesheets or fonts: it opens offline.
import { utf8, type Exporter } from "./exporter.js";
import type { RenderedHardwareReport } from "./rendered.js";
import { CSS } from "./style.js";
import { escapeHtml, toHtml } from "./table.js";
import { kneeReasons, kneeTable } from "./knee-table.js"; // capacity sweeps (issue 15)
import { claimsTable, environmentTable, failedTable, historyTable, ratiosTable, summaryTable } from "./tables.js";

const anchor = (s: string) => `s-${s.replace(/[^A-Za-z0-9_-]/g, "_")}`;

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
  serialize({ model, charts, href }) {
    const env = model.env;
    const b: string[] = [
      `<h1>evbench results on ${escapeHtml(model.hardwareId)}</h1>`,
      `<p>${escapeHtml(env.cpuModel)}, ${env.cores} cores, kernel ${escapeHtml(env.kernel)}. <a href="../index.html">All hardware</a> · <a href="report.md">report.md</a></p>`,
      '<p class="note">Medians over repetitions with a distribution-free 95 % interval from order statistics (min..max below 6 repetitions). ' +
        "<b>client-bound</b> (red): the client's CPU was saturated (&ge; 95 %), so that row's req/s describes the client, not the server; requests per server CPU-second hold either way.</p>",
    ];
    if (model.strayIds.length > 0) b.push(`<p class="warn">Files in this folder carry other hardware ids too: ${escapeHtml(model.strayIds.join(", "))}.</p>`);
    b.push("<nav><ul>", ...model.scenarios.map((s) => `<li><a href="#${anchor(s.name)}">${escapeHtml(s.name)}</a> (${s.history.length} result${s.history.length > 1 ? "s" : ""})</li>`), "</ul></nav>");
    for (const s of model.scenarios) {
      const r = s.latest.result;
      b.push(`<section id="${anchor(s.name)}">`, `<h2>${escapeHtml(s.name)}</h2>`);
      const desc = (r.scenario as Record<string, unknown>).description;
      if (typeof desc === "string" && desc.length > 0) b.push(`<p>${escapeHtml(desc)}</p>`);
      b.push(
        `<p>Newest of ${s.history.length}: <a href="${escapeHtml(href(s.latest.path))}">${escapeHtml(href(s.latest.path))}</a>, recorded ${escapeHtml(r.createdAt)}, commit <code>${escapeHtml(r.git.commit ?? "(unknown)")}</code>${r.git.dirty ? " <b>(dirty)</b>" : ""}.</p>`,
        `<pre>${escapeHtml(r.command)}</pre>`,
      );
      if (s.claims && s.claims.divergences.length > 0) {
        b.push('<div class="warn"><b>Measured here vs claimed</b> (' + escapeHtml(s.claims.source) + "):<ul>", ...s.claims.divergences.map((d) => `<li class="div">${escapeHtml(d)}</li>`), "</ul></div>");
      }
      b.push(toHtml(summaryTable(s), ' class="summary"'));
      const failed = failedTable(s);
      if (failed) b.push(toHtml(failed));
      if (r.sweeps?.length) b.push("<h3>Knees</h3>", toHtml(kneeTable(r.sweeps), ' class="summary"'), ...kneeReasons(r.sweeps).map((l) => `<p class="note">${escapeHtml(l)}</p>`)); // issue 15
      const ratios = ratiosTable(r);
      if (ratios) b.push("<h3>Ratios between rows</h3>", '<p class="note">Taken per repetition (the two rows ran side by side), then the median.</p>', toHtml(ratios, ' class="ratios"'));
      b.push('<div class="charts">');
      for (const c of charts.get(s.name) ?? []) {
        b.push(`<figure id="${escapeHtml(c.id)}" class="chart"><h3>${escapeHtml(c.title)}</h3>${c.svg}<figcaption>${escapeHtml(c.caption)}</figcaption></figure>`);
      }
      b.push("</div>");
      if (s.claims) {
        b.push(`<h3>Claims: ${escapeHtml(s.claims.source)}</h3>`, `<p>Condition as written: ${escapeHtml(s.claims.condition)}.</p>`, toHtml(claimsTable(s.claims)));
        if (s.claims.unmatched.length > 0) b.push(`<p>Claimed but not measured here: ${escapeHtml(s.claims.unmatched.join(", "))}.</p>`);
      }
      if (s.history.length > 1) {
        const t = historyTable(s, href);
        // The file column becomes a link.
        const linked = toHtml(t).replace(/<td>([^<]+\.json)<\/td>/g, (_, f: string) => `<td><a href="${f}">${f}</a></td>`);
        b.push("<h3>History</h3>", linked);
      }
      b.push("<h3>Environment</h3>", toHtml(environmentTable(r.env, r)), "</section>");
    }
    return utf8(page(`evbench: ${model.hardwareId}`, b));
  },
};
