// A table as data (header and rows of cells) and its three layouts: aligned text for terminals,
// GitHub-flavoured Markdown, and HTML. Every table of evbench is built once as a Table and
// rendered by these; the renderers escape what they print, since cells carry text taken from
// result files (target names, failure messages, commands).
export interface Table {
  header: string[];
  rows: string[][];
  /** Columns to right-align (numbers). */
  alignRight?: number[];
  /** Columns of prose (reasons, failures) that may wrap in HTML; every other cell keeps to one line. */
  wrap?: number[];
  /** A CSS class per row for the HTML layout (e.g. "cb" for a client-bound row); ignored elsewhere. */
  rowClass?: Array<string | null>;
  /** Columns of labels (a row's "target/variant", its load) that may break after a "/" or at a
   *  space in HTML, and only there: a wide table then fits the page by stacking a label's parts,
   *  its values still on one line. */
  names?: number[];
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Markdown text that shows as written: what could open HTML (&, <) as entities, Markdown's own
 *  markup characters behind a backslash, line breaks as spaces. */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/([\\`*_[\]|])/g, "\\$1")
    .replace(/\n/g, " ");
}

/** Aligned columns separated by two spaces; `rule` adds a line of dashes under the header. */
export function toText(t: Table, rule = false): string {
  const widths = t.header.map((h, i) => Math.max([...h].length, ...t.rows.map((r) => [...(r[i] ?? "")].length)));
  const right = new Set(t.alignRight ?? []);
  const pad = (c: string, i: number) => {
    const fill = " ".repeat(widths[i]! - [...c].length);
    return right.has(i) ? fill + c : c + fill;
  };
  const line = (cells: string[]) => cells.map(pad).join("  ").trimEnd();
  const ruleLine = rule ? [line(widths.map((w) => "-".repeat(w)))] : [];
  return [line(t.header), ...ruleLine, ...t.rows.map(line)].join("\n");
}

export function toMarkdown(t: Table): string {
  const right = new Set(t.alignRight ?? []);
  const sep = t.header.map((_, i) => (right.has(i) ? "---:" : "---"));
  const row = (cells: string[]) => `| ${cells.map(escapeMarkdown).join(" | ")} |`;
  return [row(t.header), `| ${sep.join(" | ")} |`, ...t.rows.map(row)].join("\n");
}

/** "a/b c" as unbreakable parts with a break opportunity after each "/" and space (copied text
 *  unchanged). */
function nameParts(name: string): string {
  return name
    .split(/(?<=[/ ])/)
    .map((part) => `<span>${escapeHtml(part)}</span>`)
    .join("<wbr>");
}

export function toHtml(t: Table, attrs = ""): string {
  const right = new Set(t.alignRight ?? []);
  const wrap = new Set(t.wrap ?? []);
  const names = new Set(t.names ?? []);
  const cls = (i: number) => [right.has(i) ? "num" : "", wrap.has(i) ? "wrap" : "", names.has(i) ? "name" : ""].filter(Boolean).join(" ");
  const content = (c: string, i: number) => (names.has(i) && /[/ ]/.test(c) ? nameParts(c) : escapeHtml(c));
  const cell = (tag: string, c: string, i: number) =>
    `<${tag}${cls(i) ? ` class="${cls(i)}"` : ""}>${tag === "td" ? content(c, i) : escapeHtml(c)}</${tag}>`;
  const rowAttr = (j: number) => (t.rowClass?.[j] ? ` class="${escapeHtml(t.rowClass[j]!)}"` : "");
  return [
    `<div class="table"><table${attrs}>`,
    `<thead><tr>${t.header.map((h, i) => cell("th", h, i)).join("")}</tr></thead>`,
    `<tbody>${t.rows.map((r, j) => `<tr${rowAttr(j)}>${r.map((c, i) => cell("td", c, i)).join("")}</tr>`).join("\n")}</tbody>`,
    "</table></div>",
  ].join("\n");
}
