// The report of one hardware folder as a document (src/present/doc.ts): built once here, then
// rendered to report.md and report.html. Text from result files goes in as text; the renderers
// escape it.
import type { Block, Span } from "../present/doc.js";
import { claimsTable } from "../present/claims-table.js";
import { UNITS_LEGEND } from "../present/format.js";
import { Footnotes, VERDICT_LEGEND } from "../present/footnotes.js";
import { INTERVAL_LEGEND } from "../present/interval.js";
import { ratiosTable } from "../present/ratios-table.js";
import { summaryTable } from "../present/summary-table.js";
import { kneeReasons, kneeTable } from "./knee-table.js";
import { networkBlocks } from "./network.js";
import { kernelBlocks } from "../kernel/panel.js";
import type { RenderedHardwareReport } from "./rendered.js";
import type { ScenarioReport } from "./model.js";
import { environmentTable, failedTable, historyTable } from "./tables.js";
import { profileBlocks } from "./profile.js";
import { scalingBlocks } from "./scaling.js";

export const anchor = (s: string): string => `s-${s.replace(/[^A-Za-z0-9_-]/g, "_")}`;

function headlineBlocks(s: ScenarioReport, href: (p: string) => string): Block[] {
  const r = s.latest.result;
  const file = href(s.latest.path);
  const out: Block[] = [];
  if (r.scenario.description.length > 0) out.push({ kind: "para", spans: [r.scenario.description] });
  const dirty: Span[] = r.git.dirty ? [" ", { strong: "(dirty)" }] : [];
  out.push({
    kind: "para",
    spans: [
      `Newest ${s.latestIsComplete ? "complete " : ""}result of ${s.history.length}: `,
      { link: file, href: file },
      `, recorded ${r.createdAt}, commit `,
      { code: r.git.commit ?? "(unknown)" },
      ...dirty,
      ".",
    ],
  });
  if (r.completeness === "partial")
    out.push({
      kind: "para",
      tone: "warn",
      spans: [
        { strong: "Partial result" },
        ": the run was interrupted and no complete result of this scenario exists; rows may be missing or hold fewer repetitions.",
      ],
    });
  out.push({ kind: "code", text: r.command });
  if (s.claims && s.claims.divergences.length > 0) {
    out.push({
      kind: "list",
      tone: "warn",
      title: `Measured here vs claimed (${s.claims.source}):`,
      items: s.claims.divergences.map((d) => [d]),
    });
  }
  return out;
}

function tableBlocks(s: ScenarioReport): Block[] {
  const r = s.latest.result;
  const notes = new Footnotes();
  const out: Block[] = [{ kind: "table", table: summaryTable(r, notes), className: "summary" }];
  if (notes.size > 0) out.push({ kind: "list", tone: "note", items: notes.lines().map((l) => [l]) });
  const failed = failedTable(s);
  if (failed) out.push({ kind: "table", table: failed });
  const ratios = ratiosTable(r.ratios);
  if (ratios)
    out.push(
      { kind: "heading", level: 3, text: "Ratios between rows" },
      { kind: "para", tone: "note", spans: ["Taken per repetition (the two rows ran side by side), then the median."] },
      { kind: "table", table: ratios },
    );
  out.push(...networkBlocks(r));
  out.push(...scalingBlocks(r));
  out.push(...kernelBlocks(r, true));
  if (r.sweeps?.length) {
    out.push({ kind: "heading", level: 3, text: "Knees" }, { kind: "table", table: kneeTable(r.sweeps), className: "summary" });
    const reasons = kneeReasons(r.sweeps);
    if (reasons.length > 0) out.push({ kind: "list", tone: "note", items: reasons.map((l) => [l]) });
  }
  return out;
}

function laterBlocks(s: ScenarioReport, href: (p: string) => string): Block[] {
  const r = s.latest.result;
  const out: Block[] = [];
  if (s.claims) {
    out.push(
      { kind: "heading", level: 3, text: `Claims: ${s.claims.source}` },
      { kind: "para", spans: [`Condition as written: ${s.claims.condition}.`] },
      { kind: "table", table: claimsTable(s.claims) },
    );
    if (s.claims.unmatched.length > 0)
      out.push({ kind: "para", spans: [`Claimed but not measured here: ${s.claims.unmatched.join(", ")}.`] });
  }
  out.push(...profileBlocks(s, href));
  if (s.history.length > 1) out.push({ kind: "heading", level: 3, text: "History" }, { kind: "table", table: historyTable(s, href) });
  out.push({ kind: "heading", level: 3, text: "Environment" }, { kind: "table", table: environmentTable(r.env, r) });
  return out;
}

/** The HTML page of one scenario, beside report.html (scenario names are [a-z0-9-], safe as is). */
export const scenarioPage = (name: string): string => `report-${name}.html`;

function legendBlock(): Block {
  return {
    kind: "list",
    tone: "note",
    items: [
      ["Medians over repetitions. ", INTERVAL_LEGEND],
      [VERDICT_LEGEND],
      [UNITS_LEGEND],
      ["Requests per server CPU-second hold even where the client was the limit."],
    ],
  };
}

function envSpans(r: RenderedHardwareReport): Span[] {
  const env = r.model.env;
  return [`${env.cpuModel}, ${env.cores} cores, kernel ${env.kernel}. `];
}

function scenarioSection(s: ScenarioReport, { charts, href }: RenderedHardwareReport): Block {
  const figures = (charts.get(s.name) ?? []).map((c) => ({ id: c.id, title: c.title, svg: c.svg, caption: c.caption }));
  const inner: Block[] = [{ kind: "heading", level: 2, text: s.name }, ...headlineBlocks(s, href), ...tableBlocks(s)];
  if (figures.length > 0) inner.push({ kind: "charts", figures });
  inner.push(...laterBlocks(s, href));
  return { kind: "section", id: anchor(s.name), blocks: inner };
}

/** report.md: every scenario in one document. report.html: the index of the hardware folder, one
 *  line per scenario linking its own page (one page of every chart grew to 4.5 MB). */
export function reportBlocks(r: RenderedHardwareReport, format: "md" | "html"): Block[] {
  const { model } = r;
  const other: Span = format === "md" ? { link: "report.html", href: "report.html" } : { link: "report.md", href: "report.md" };
  const blocks: Block[] = [
    { kind: "heading", level: 1, text: `evbench results on ${model.hardwareId}` },
    {
      kind: "para",
      spans: [
        ...envSpans(r),
        ...(format === "html" ? [{ link: "All hardware", href: "../index.html" }, " · "] : [format === "md" ? "Charts: " : ""]),
        other,
        ".",
      ],
    },
    legendBlock(),
  ];
  if (model.strayIds.length > 0)
    blocks.push({
      kind: "para",
      tone: "warn",
      spans: [`Files in this folder carry other hardware ids too: ${model.strayIds.join(", ")}.`],
    });
  // In Markdown a forge links a heading by its text (scenario names are lower-case letters,
  // digits and '-', so the text is the slug); in HTML each scenario has its page.
  const link = (name: string) => (format === "html" ? scenarioPage(name) : `#${name}`);
  blocks.push({
    kind: "list",
    items: model.scenarios.map((s) => [
      { link: s.name, href: link(s.name) },
      ` (${s.history.length} result${s.history.length > 1 ? "s" : ""})`,
    ]),
  });
  if (format === "md") for (const s of model.scenarios) blocks.push(scenarioSection(s, r));
  return blocks;
}

/** The page of one scenario: a line back to the folder's index and every hardware, then its section. */
export function scenarioPageBlocks(r: RenderedHardwareReport, s: ScenarioReport): Block[] {
  return [
    { kind: "heading", level: 1, text: `${s.name} on ${r.model.hardwareId}` },
    {
      kind: "para",
      spans: [
        ...envSpans(r),
        { link: "All scenarios on this hardware", href: "report.html" },
        " · ",
        { link: "All hardware", href: "../index.html" },
        " · ",
        { link: "report.md", href: "report.md" },
        ".",
      ],
    },
    legendBlock(),
    scenarioSection(s, r),
  ];
}
