// The ratios a scenario asks for, as a text table under the bench table.
import { renderText } from "../present/doc.js";
import { ratiosTable } from "../present/ratios-table.js";
import type { ResultFile } from "../model/index.js";

export function ratiosSection(r: ResultFile): string | null {
  const t = ratiosTable(r.ratios);
  if (t === null) return null;
  return renderText([
    { kind: "para", spans: ["Ratios between rows (per repetition, then the median):"] },
    { kind: "table", table: t },
  ]).replace("\n\n", "\n");
}
