// A plain aligned text table with a rule under the header (list, doctor): the present layer's
// text renderer, first column left-aligned, the rest right-aligned.
import { toText } from "../present/table.js";

export function renderTable(header: string[], rows: string[][]): string {
  return toText({ header, rows, alignRight: header.map((_, i) => i).filter((i) => i > 0) }, true);
}
