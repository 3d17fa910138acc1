// A hardware report with its charts already drawn: the input of the Markdown and HTML exporters.
import type { ChartSpec } from "./chart-spec.js";
import type { HardwareReport } from "./model.js";

export interface RenderedChart extends ChartSpec {
  svg: string;
}

export interface RenderedHardwareReport {
  model: HardwareReport;
  /** Charts per scenario name. */
  charts: Map<string, RenderedChart[]>;
  /** How a result file is linked from the report (relative to the report's folder). */
  href: (resultPath: string) => string;
}
