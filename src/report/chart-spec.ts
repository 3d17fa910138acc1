// A chart of the report: a vega-lite spec with its title and caption (rendered to SVG by render-svg.ts).
import type { TopLevelSpec } from "vega-lite";

export interface ChartSpec {
  id: string;
  title: string;
  /** One sentence under the chart: what is drawn and how to read it. */
  caption: string;
  spec: TopLevelSpec;
}
