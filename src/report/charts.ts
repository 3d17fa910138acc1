// Chart specifications (vega-lite) for one scenario of the report. Pure: model in, specs out.
// render-svg.ts turns them into SVG in Node. Every chart that shows a throughput marks the rows
// whose client was the bottleneck, because there the bar measures the client.
import type { TopLevelSpec } from "vega-lite";

import { INTERVAL_SHORT } from "../present/interval.js";
import { rowName } from "../present/summary-table.js";
import type { ChartSpec } from "./chart-spec.js";
import { rowVerdictOf } from "../verdict/index.js";
import { microsLabelExpr } from "./axis-format.js";
import type { ScenarioReport } from "./model.js";
import { kneeCharts } from "./knee-chart.js";
import { scalingCharts } from "./scaling-chart.js";
import { runTimelines, type RunTimeline } from "./timeline.js";

export type { ChartSpec } from "./chart-spec.js";

const WIDTH = 470;
const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
/** Axis labels are shown whole; legends stack vertically under the chart and wrap nothing, so they
 *  stay inside the chart's own box (a horizontal legend of long labels ran off the page). */
const CONFIG = { legend: { labelLimit: 300, orient: "bottom", direction: "vertical" }, axis: { labelLimit: 0 } };
// Short: vega sizes legend labels by an estimate in Node and cuts long ones.
const CB_YES = "client-bound";
// Not client-bound does not prove the server was the limit (see its CPU %), so it is not called server-bound.
const CB_NO = "client not saturated";
const name = rowName;

const boundColor = {
  field: "bound",
  type: "nominal",
  title: "client saturation",
  scale: { domain: [CB_NO, CB_YES], range: ["#4c78a8", "#e45756"] },
} as const;

/** Past this many bars their names, side by side, run into each other. */
const UPRIGHT_LABELS_MAX = 4;
const NOISY_OPACITY = 0.4;

interface Bar {
  name: string;
  median: number;
  lo: number;
  hi: number;
  bound: string;
  noisy: boolean;
  label: string;
}

/** Bars of a median with its interval as a whisker; `title` names the y axis. Noisy rows are pale
 *  with a dashed outline; above a client-bound bar, how many of its runs were client-bound. */
/** A label's width at the axis' 10 px font, generously (vega measures only in the browser). */
const LABEL_PX_PER_CHAR = 6.5;

/** Upright (-90) past a few names, or when one is wider than its band: turned names then stand
 *  one band apart, however long they are. */
function nameAngle(names: string[]): number {
  const band = WIDTH / Math.max(1, names.length);
  return names.length > UPRIGHT_LABELS_MAX || names.some((n) => n.length * LABEL_PX_PER_CHAR > band) ? -90 : 0;
}

function barsWithWhiskers(rows: Bar[], yTitle: string, format: string): TopLevelSpec {
  const labelAngle = nameAngle(rows.map((r) => r.name));
  return {
    $schema: SCHEMA,
    config: CONFIG,
    width: WIDTH,
    height: 260,
    data: { values: rows },
    encoding: { x: { field: "name", type: "nominal", sort: null, title: null, axis: { labelAngle } } },
    layer: [
      {
        mark: { type: "bar", width: { band: 0.6 }, stroke: "#333" },
        encoding: {
          y: { field: "median", type: "quantitative", title: yTitle, axis: { format } },
          color: boundColor,
          opacity: { condition: { test: "datum.noisy", value: NOISY_OPACITY }, value: 1 },
          strokeWidth: { condition: { test: "datum.noisy", value: 1 }, value: 0 },
          strokeDash: { condition: { test: "datum.noisy", value: [3, 2] }, value: [1, 0] },
        },
      },
      { mark: { type: "rule", strokeWidth: 1.5 }, encoding: { y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } } },
      { mark: { type: "tick", thickness: 1.5, size: 12 }, encoding: { y: { field: "lo", type: "quantitative" } } },
      { mark: { type: "tick", thickness: 1.5, size: 12 }, encoding: { y: { field: "hi", type: "quantitative" } } },
      { mark: { type: "text", dy: -8, fontSize: 10 }, encoding: { y: { field: "hi", type: "quantitative" }, text: { field: "label" } } },
    ],
  } as TopLevelSpec;
}

function metricBars(
  s: ScenarioReport,
  pick: (r: ScenarioReport["summary"][number]) => { median: number; lo: number; hi: number } | null,
  scale = 1,
): Bar[] {
  const runs = s.latest.result.runs;
  return s.summary.flatMap((r) => {
    const iv = pick(r);
    if (iv === null) return [];
    const cb = r.clientBoundRuns > 0;
    const noisy = rowVerdictOf(r, runs).verdict === "noisy";
    // "3/3", not "client-bound 3/3": with ten bars a long label runs into its neighbours'.
    return [
      {
        name: name(r.target, r.variant),
        median: iv.median * scale,
        lo: iv.lo * scale,
        hi: iv.hi * scale,
        bound: cb ? CB_YES : CB_NO,
        noisy,
        label: cb ? `${r.clientBoundRuns}/${r.okRuns}` : "",
      },
    ];
  });
}

/** Whether every bar and whisker is 0 (GC/s of targets without a GC): such a chart says nothing. */
const allZero = (bars: Bar[]) => bars.every((b) => b.median === 0 && b.hi === 0);

const BARS_LEGEND =
  "Red (client-bound): the client's CPU was saturated, so the bar describes the client; n/m above it: n of m runs were. Pale with a dashed outline: noisy (other processes used the CPUs).";

/** HdrHistogram's percentile axis: 1/(1-p) on a log scale, labelled with the percentile. */
// No tick at x = 1 (p0): it sits so close to p50 on a log axis that one label would hide the other.
const PERCENTILE_TICKS: Array<[number, string]> = [
  [2, "50%"],
  [10, "90%"],
  [100, "99%"],
  [1000, "99.9%"],
  [10000, "99.99%"],
  [100000, "99.999%"],
];

function latencySpec(s: ScenarioReport): TopLevelSpec {
  const values = s.curves.flatMap((c) =>
    c.points.map((p) => ({ name: name(c.target, c.variant), x: p.x, percentile: p.percentile, ms: Math.max(p.latencyUs, 1) / 1000 })),
  );
  const maxX = Math.max(2, ...values.map((v) => v.x));
  const ticks = PERCENTILE_TICKS.filter(([x]) => x <= maxX);
  const labelExpr = ticks.map(([x, l]) => `datum.value == ${x} ? '${l}'`).join(" : ") + " : ''";
  return {
    $schema: SCHEMA,
    config: CONFIG,
    width: WIDTH,
    height: 300,
    data: { values },
    mark: { type: "line", interpolate: "step-after", strokeWidth: 1.5 },
    encoding: {
      x: {
        field: "x",
        type: "quantitative",
        title: "percentile",
        scale: { type: "log", domain: [1, maxX] },
        axis: { values: ticks.map(([x]) => x), labelExpr, grid: true },
      },
      y: { field: "ms", type: "quantitative", title: "latency (ms, log scale)", scale: { type: "log" } },
      color: { field: "name", type: "nominal", title: "target" },
    },
  } as TopLevelSpec;
}

function claimsSpec(s: ScenarioReport): TopLevelSpec | null {
  const c = s.claims;
  if (c === null) return null;
  // A log axis has no place for zero: a row whose ratio or interval reaches 0 (a target without GC)
  // is left out of the chart (the table has it), instead of drawing a bar vega cannot place.
  const values = c.rows.flatMap((r) => {
    if (r.claimedRatio === null || r.measuredRatio === null) return [];
    if (!(r.claimedRatio > 0 && r.measuredRatio.lo > 0 && r.measuredRatio.value > 0)) return [];
    const label = `${r.claimKey} ${r.label}`;
    return [
      { row: label, kind: "claimed", ratio: r.claimedRatio, lo: r.claimedRatio, hi: r.claimedRatio },
      {
        row: label,
        kind: r.clientBound ? "measured (client-bound)" : "measured",
        ratio: r.measuredRatio.value,
        lo: r.measuredRatio.lo,
        hi: r.measuredRatio.hi,
      },
    ];
  });
  if (values.length === 0) return null;
  // A log axis cannot hold zero, where bars start by default: the bars start at 1 (parity with the
  // reference row), so a ratio below 1 hangs down and one above stands up; the domain spans both.
  const positive = values.flatMap((v) => [v.lo, v.hi, 1]).filter((x) => x > 0);
  const domain = [Math.min(...positive) / 1.5, Math.max(...positive) * 1.5];
  return {
    $schema: SCHEMA,
    config: CONFIG,
    width: WIDTH,
    height: 280,
    data: { values },
    encoding: {
      x: {
        field: "row",
        type: "nominal",
        sort: null,
        title: null,
        axis: { labelAngle: nameAngle([...new Set(values.map((v) => v.row))]) },
      },
      xOffset: { field: "kind", type: "nominal", sort: ["claimed", "measured", "measured (client-bound)"] },
    },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          y: {
            field: "ratio",
            type: "quantitative",
            title: `ratio to ${c.reference ?? "reference"} (log scale)`,
            scale: { type: "log", domain },
          },
          y2: { datum: 1 },
          color: {
            field: "kind",
            type: "nominal",
            title: null,
            scale: { domain: ["claimed", "measured", "measured (client-bound)"], range: ["#bab0ac", "#4c78a8", "#e45756"] },
          },
        },
      },
      {
        mark: { type: "rule", strokeWidth: 1.5 },
        encoding: { y: { field: "lo", type: "quantitative", scale: { type: "log", domain } }, y2: { field: "hi" } },
      },
    ],
  } as TopLevelSpec;
}

function historySpec(s: ScenarioReport): TopLevelSpec | null {
  if (s.history.length < 2) return null;
  // One x position per result: stamp to the second and short commit, numbered if still equal.
  const order: string[] = [];
  for (const h of s.history) {
    const base = `${h.result.createdAt.slice(0, 19).replace("T", " ")} ${(h.result.git.commit ?? "?").slice(0, 7)}${h.result.git.dirty ? "+" : ""}`;
    let label = base;
    for (let k = 2; order.includes(label); k++) label = `${base} (${k})`;
    order.push(label);
  }
  const label = new Map(s.history.map((h, i) => [h.path, order[i]!]));
  const values = s.historyPoints.flatMap((p) =>
    p.rps === null
      ? []
      : [
          {
            run: label.get(p.path)!,
            name: name(p.target, p.variant),
            median: p.rps.median,
            lo: p.rps.lo,
            hi: p.rps.hi,
            bound: p.clientBound ? CB_YES : CB_NO,
          },
        ],
  );
  return {
    $schema: SCHEMA,
    config: CONFIG,
    width: WIDTH,
    height: 260,
    data: { values },
    encoding: {
      x: { field: "run", type: "ordinal", sort: order, title: "recorded (commit; + = dirty)", axis: { labelAngle: -30 } },
      color: { field: "name", type: "nominal", title: "target" },
    },
    layer: [
      {
        mark: { type: "line" },
        encoding: { y: { field: "median", type: "quantitative", title: "req/s (median)", axis: { format: "~s" } } },
      },
      { mark: { type: "rule" }, encoding: { y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } } },
      {
        mark: { type: "point", filled: true, size: 50 },
        encoding: {
          y: { field: "median", type: "quantitative" },
          shape: {
            field: "bound",
            type: "nominal",
            title: "client saturation",
            scale: { domain: [CB_NO, CB_YES], range: ["circle", "triangle-up"] },
          },
        },
      },
    ],
  } as TopLevelSpec;
}

const RPS = "req/s";
const P99 = "p99";

/** Rows for timelineSpec: each run's seconds in both measures (p99 in µs), and its warm-up band. */
function timelineValues(timelines: RunTimeline[]) {
  return timelines.flatMap((tl) => {
    const run = `${name(tl.target, tl.variant)} #${tl.rep}`;
    const band = tl.warmupS > 0 ? [RPS, P99].map((measure) => ({ kind: "warmup", run, measure, t0: 0, t1: tl.warmupS })) : [];
    const points = tl.seconds.flatMap((p) => [
      { kind: "point", run, measure: RPS, t: p.t, value: p.rps },
      ...(p.p99Us === null ? [] : [{ kind: "point", run, measure: P99, t: p.t, value: p.p99Us }]),
    ]);
    return [...band, ...points];
  });
}

/** One panel of the timeline: `measure`'s points, its own y axis, the warm-up shaded grey. */
function timelinePanel(measure: string, axis: { format: string } | { labelExpr: string }, xTitle: string | null) {
  const only = `datum.measure == '${measure}'`;
  return {
    width: WIDTH,
    height: 150,
    layer: [
      {
        transform: [{ filter: `datum.kind == 'warmup' && ${only}` }],
        mark: { type: "rect", color: "#dddddd", opacity: 0.5 },
        encoding: { x: { field: "t0", type: "quantitative" }, x2: { field: "t1" } },
      },
      {
        transform: [{ filter: `datum.kind == 'point' && ${only}` }],
        mark: { type: "line", point: { size: 12 }, strokeWidth: 1.2 },
        encoding: {
          x: { field: "t", type: "quantitative", title: xTitle },
          y: { field: "value", type: "quantitative", title: measure, axis },
          color: { field: "run", type: "nominal", title: "run (target, rep)" },
        },
      },
    ],
  };
}

/** Per run, req/s and p99 of every second (two panels, each with its own unit), warm-up grey. */
function timelineSpec(timelines: RunTimeline[]): TopLevelSpec {
  return {
    $schema: SCHEMA,
    config: CONFIG,
    data: { values: timelineValues(timelines) },
    vconcat: [
      timelinePanel(RPS, { format: "~s" }, null),
      timelinePanel(P99, { labelExpr: microsLabelExpr() }, "seconds since the load started (grey: warm-up, not recorded)"),
    ],
  } as TopLevelSpec;
}

export function scenarioCharts(s: ScenarioReport): ChartSpec[] {
  const out: ChartSpec[] = [];
  const id = (k: string) => `${s.name}-${k}`;
  const rps = metricBars(s, (r) => r.rps);
  if (rps.length > 0)
    out.push({
      id: id("rps"),
      title: "Requests per second",
      caption: `Median over repetitions; whiskers: ${INTERVAL_SHORT}. ${BARS_LEGEND}`,
      spec: barsWithWhiskers(rps, "req/s (median)", "~s"),
    });
  const eff = metricBars(s, (r) => r.serverReqPerCpuSec);
  if (eff.length > 0)
    out.push({
      id: id("efficiency"),
      title: "Requests per server CPU-second",
      caption: "req/s divided by the server's CPU share: holds even where the client was the limit.",
      spec: barsWithWhiskers(eff, "requests per server CPU-second", "~s"),
    });
  if (s.curves.length > 0)
    out.push({
      id: id("latency"),
      title: "Latency by percentile",
      caption: "All repetitions' HdrHistograms merged per target; x is 1/(1-p) on a log axis.",
      spec: latencySpec(s),
    });
  const rss = metricBars(s, (r) => r.rssPeakBytes, 2 ** -20);
  if (rss.length > 0)
    out.push({
      id: id("rss"),
      title: "Peak resident memory",
      caption: "Peak RSS of the target's processes over the measurement window, in MiB (1 MiB = 1024 x 1024 bytes).",
      spec: barsWithWhiskers(rss, "RSS peak (MiB)", "~f"),
    });
  const gc = metricBars(s, (r) => r.gcPerSec);
  if (gc.length > 0 && !allZero(gc))
    out.push({
      id: id("gc"),
      title: "GC cycles per second",
      caption: "Completed GC cycles per second of the window, from the target's own counters (0 where there is no GC).",
      spec: barsWithWhiskers(gc, "GC/s", "~r"),
    });
  const claims = claimsSpec(s);
  if (claims !== null)
    out.push({
      id: id("claims"),
      title: "Claimed vs measured, as ratios",
      caption: `Each row divided by ${s.claims?.reference ?? "the reference row"}, claimed (grey) and measured (blue; whisker: conservative interval); absolute numbers do not travel between machines, ratios do. Ratios of 0 (no GC) cannot sit on a log axis: they are in the table only.`,
      spec: claims,
    });
  out.push(...kneeCharts(s));
  out.push(...scalingCharts(s));
  const timelines = runTimelines(s.latest.result.runs.filter((r) => r.status === "ok"));
  if (timelines.length > 0)
    out.push({
      id: id("timeline"),
      title: "Every run, second by second",
      caption:
        "Answers per second and p99 of each second of every run's window, from its interval histograms; grey: the warm-up, whose answers are not recorded. A step or a climb inside a window is a transient the medians hide.",
      spec: timelineSpec(timelines),
    });
  const hist = historySpec(s);
  if (hist !== null)
    out.push({
      id: id("history"),
      title: "Requests per second over commits",
      caption: "Median req/s of each recorded result of this scenario on this hardware; whiskers: interval; triangles: client-bound.",
      spec: hist,
    });
  return out;
}
