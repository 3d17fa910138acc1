// A document as data: headings, paragraphs, lists, code, tables and figures, built once and
// rendered to text, Markdown or HTML. Text taken from result files is escaped by each renderer,
// so a target name or a failure message can never become markup.
import { escapeHtml, escapeMarkdown, toHtml, toMarkdown, toText, type Table } from "./table.js";

/** A run of text: plain, a link, code or emphasis. */
export type Span = string | { link: string; href: string } | { code: string } | { strong: string };

export interface Figure {
  id: string;
  title: string;
  /** SVG markup, trusted: drawn by vega from numbers, never text taken from a file unescaped. */
  svg: string;
  caption: string;
}

export type Block =
  | { kind: "heading"; level: 1 | 2 | 3; text: string; id?: string }
  | { kind: "para"; spans: Span[]; tone?: "note" | "warn" }
  | { kind: "list"; items: Span[][]; tone?: "note" | "warn"; title?: string }
  | { kind: "code"; text: string }
  | { kind: "table"; table: Table; className?: string }
  /** Charts already rendered to SVG; text prints their captions, Markdown leaves them to HTML. */
  | { kind: "charts"; figures: Figure[] }
  | { kind: "section"; id: string; blocks: Block[] };

function spanText(s: Span): string {
  if (typeof s === "string") return s;
  if ("link" in s) return s.link;
  if ("code" in s) return s.code;
  return s.strong;
}

function spanMd(s: Span): string {
  if (typeof s === "string") return escapeMarkdown(s);
  if ("link" in s) return `[${escapeMarkdown(s.link)}](${encodeURI(s.href)})`;
  if ("code" in s) return `<code>${escapeHtml(s.code)}</code>`;
  return `**${escapeMarkdown(s.strong)}**`;
}

function spanHtml(s: Span): string {
  if (typeof s === "string") return escapeHtml(s);
  if ("link" in s) return `<a href="${escapeHtml(s.href)}">${escapeHtml(s.link)}</a>`;
  if ("code" in s) return `<code>${escapeHtml(s.code)}</code>`;
  return `<b>${escapeHtml(s.strong)}</b>`;
}

export function renderText(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === "heading") out.push(b.text);
    else if (b.kind === "para") out.push(b.spans.map(spanText).join(""));
    else if (b.kind === "list")
      out.push([...(b.title ? [b.title] : []), ...b.items.map((i) => `  ${i.map(spanText).join("")}`)].join("\n"));
    else if (b.kind === "code") out.push(b.text);
    else if (b.kind === "table") out.push(toText(b.table, true));
    else if (b.kind === "charts") out.push(...b.figures.map((f) => `${f.title}: ${f.caption}`));
    else out.push(renderText(b.blocks));
  }
  return out.join("\n\n");
}

/** A fence longer than any run of backticks in the text, so the text cannot close it. */
function fence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return "`".repeat(Math.max(3, longest + 1));
}

export function renderMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === "heading") out.push(`${"#".repeat(b.level)} ${escapeMarkdown(b.text)}`);
    else if (b.kind === "para") out.push((b.tone === "warn" ? "> " : "") + b.spans.map(spanMd).join(""));
    else if (b.kind === "list")
      out.push([...(b.title ? [escapeMarkdown(b.title), ""] : []), ...b.items.map((i) => `- ${i.map(spanMd).join("")}`)].join("\n"));
    else if (b.kind === "code") out.push(`${fence(b.text)}\n${b.text}\n${fence(b.text)}`);
    else if (b.kind === "table") out.push(toMarkdown(b.table));
    else if (b.kind === "charts")
      continue; // the charts live in report.html
    else out.push(renderMarkdown(b.blocks));
  }
  return out.join("\n\n");
}

function figureHtml(f: Figure): string {
  return `<figure id="${escapeHtml(f.id)}" class="chart"><h3>${escapeHtml(f.title)}</h3>${f.svg}<figcaption>${escapeHtml(f.caption)}</figcaption></figure>`;
}

export function renderHtml(blocks: readonly Block[]): string {
  const out: string[] = [];
  const cls = (tone?: string) => (tone ? ` class="${tone}"` : "");
  for (const b of blocks) {
    if (b.kind === "heading") out.push(`<h${b.level}${b.id ? ` id="${escapeHtml(b.id)}"` : ""}>${escapeHtml(b.text)}</h${b.level}>`);
    else if (b.kind === "para") out.push(`<p${cls(b.tone)}>${b.spans.map(spanHtml).join("")}</p>`);
    else if (b.kind === "list")
      out.push(
        `<div${cls(b.tone)}>${b.title ? `<b>${escapeHtml(b.title)}</b>` : ""}<ul>${b.items.map((i) => `<li>${i.map(spanHtml).join("")}</li>`).join("")}</ul></div>`,
      );
    else if (b.kind === "code") out.push(`<pre>${escapeHtml(b.text)}</pre>`);
    else if (b.kind === "table") out.push(toHtml(b.table, b.className ? ` class="${escapeHtml(b.className)}"` : ""));
    else if (b.kind === "charts") out.push(`<div class="charts">${b.figures.map(figureHtml).join("\n")}</div>`);
    else out.push(`<section id="${escapeHtml(b.id)}">`, renderHtml(b.blocks), "</section>");
  }
  return out.join("\n");
}
