// Plain tables as data (header + rows of cells), and the two ways they are printed: aligned text
// for terminals and GitHub-flavoured Markdown. Compare and report build Table values; these
// functions only lay them out.
export interface Table {
  header: string[];
  rows: string[][];
  /** Columns to right-align (numbers). */
  alignRight?: number[];
  /** A CSS class per row for the HTML layout (e.g. "cb" for a client-bound row); ignored elsewhere. */
  rowClass?: Array<string | null>;
}

export function toText(t: Table): string {
  const widths = t.header.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? "").length)));
  const right = new Set(t.alignRight ?? []);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(t.header), ...t.rows.map(line)].join("\n");
}

function mdCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function toMarkdown(t: Table): string {
  const right = new Set(t.alignRight ?? []);
  const sep = t.header.map((_, i) => (right.has(i) ? "---:" : "---"));
  return [t.header, sep, ...t.rows].map((r) => `| ${r.map(mdCell).join(" | ")} |`).join("\n");
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function toHtml(t: Table, attrs = ""): string {
  const right = new Set(t.alignRight ?? []);
  const cell = (tag: string, c: string, i: number) => `<${tag}${right.has(i) ? ' class="num"' : ""}>${escapeHtml(c)}</${tag}>`;
  return [
    `<table${attrs}>`,
    `<thead><tr>${t.header.map((h, i) => cell("th", h, i)).join("")}</tr></thead>`,
    `<tbody>${t.rows.map((r, j) => `<tr${t.rowClass?.[j] ? ` class="${escapeHtml(t.rowClass[j]!)}"` : ""}>${r.map((c, i) => cell("td", c, i)).join("")}</tr>`).join("\n")}</tbody>`,
    "</table>",
  ].join("\n");
}
