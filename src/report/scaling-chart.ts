// The connection-scaling charts (issue 22): per target, memory per connection, p99 and CPU per
// request against the connection count on a log axis. Measured points are solid lines with dots;
// the cost model's projections past the last level are dashed lines marked "projected"; each
// target's last level held is ringed, with the reason its curve ended in the tooltip.
// Pure: the newest result's `scaling` in, vega-lite specs out.
import type { TopLevelSpec } from "vega-lite";

import type { Curve, ScalingResult } from "../model/index.js";
import { logTicks } from "./axis-format.js";
import type { ChartSpec } from "./chart-spec.js";
import type { ScenarioReport } from "./model.js";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
/** Points on each projected line: enough to draw intercept / N's curve on a log axis smoothly. */
const PROJECTION_STEPS = 24;

interface Panel {
  key: "userBytesPerConn" | "kernelBytesPerConn" | "p99Us" | "cpuUsPerReq";
  title: string;
  axis: string;
  /** The measured value in the axis' unit. */
  scale: number;
  /** The projected value at n (axis unit), or null when this panel has no cost model. */
  projected: (c: Curve, n: number) => number | null;
}

/** Per connection at n from the fit of the total: slope + intercept / n. */
function perConn(c: Curve, key: string, n: number, scale: number): number | null {
  const f = c.fits[key];
  return f ? (f.slope + f.intercept / n) * scale : null;
}

const PANELS: readonly Panel[] = [
  {
    key: "userBytesPerConn",
    title: "User-space memory per connection",
    axis: "user-space bytes per connection (log)",
    scale: 1,
    projected: (c, n) => perConn(c, "userBytesHeld", n, 1),
  },
  {
    key: "kernelBytesPerConn",
    title: "Kernel memory per connection",
    axis: "kernel bytes per connection (log)",
    scale: 1,
    projected: (c, n) => perConn(c, "kernelBytesHeld", n, 1),
  },
  { key: "p99Us", title: "Latency p99 against connections", axis: "p99 (ms, log; CO-corrected)", scale: 1 / 1000, projected: () => null },
  {
    key: "cpuUsPerReq",
    title: "Server CPU per request against connections",
    axis: "server CPU per request (µs, log)",
    scale: 1,
    projected: (c, n) => {
      const f = c.fits.cpuUsPerReq;
      return f ? f.intercept + f.slope * n : null;
    },
  },
];

const label = (c: Curve) => (c.variant === "default" ? c.target : `${c.target}/${c.variant}`);

function measured(s: ScalingResult, p: Panel) {
  return s.curves.flatMap((c) =>
    c.points.flatMap((pt) => {
      const v = pt.values[p.key];
      return typeof v === "number" && v > 0 ? [{ target: label(c), n: pt.connections, v: v * p.scale, kind: "measured" }] : [];
    }),
  );
}

/** From the last level held to the furthest projection, on a log grid; positive values only (a log axis). */
function projected(s: ScalingResult, p: Panel) {
  const end = Math.max(...s.projectTo);
  return s.curves.flatMap((c) => {
    if (c.reached === null || s.projectTo.length === 0) return [];
    const from = c.reached;
    return Array.from({ length: PROJECTION_STEPS + 1 }, (_, i) => Math.round(from * (end / from) ** (i / PROJECTION_STEPS))).flatMap(
      (n) => {
        const v = p.projected(c, n);
        return v !== null && v > 0 ? [{ target: label(c), n, v, kind: "projected" }] : [];
      },
    );
  });
}

function lastLevels(s: ScalingResult, p: Panel) {
  return s.curves.flatMap((c) => {
    const pt = c.points.find((x) => x.connections === c.reached);
    const v = pt?.values[p.key];
    return typeof v === "number" && v > 0
      ? [
          {
            target: label(c),
            n: pt!.connections,
            v: v * p.scale,
            ended: c.reason ? `stopped at ${c.stoppedAt}: ${c.reason}` : "held every level",
          },
        ]
      : [];
  });
}

/** The smallest and largest of a field over the chart's points, for its ticks. */
function extent(points: { n: number; v: number }[], field: "n" | "v"): [number, number] {
  const xs = points.map((pt) => pt[field]);
  return [Math.min(...xs), Math.max(...xs)];
}

export function scalingSpec(s: ScalingResult, p: Panel): TopLevelSpec {
  const all = [...measured(s, p), ...projected(s, p)];
  // 1-2-5 ticks spanning the points, the scale's domain from the first to the last (axis-format.ts).
  const logAxis = (field: "n" | "v") => {
    const values = logTicks(...extent(all, field));
    if (values.length === 0) return { scale: { type: "log" as const }, axis: {} };
    const domain: number[] = [values[0]!, values[values.length - 1]!];
    return { scale: { type: "log" as const, domain }, axis: { values } };
  };
  const xAxis = logAxis("n");
  // Counts in SI form (20k, 1M): "1,000,000" is wider than a 1-2-5 step at this width.
  const x = { field: "n", type: "quantitative", ...xAxis, axis: { ...xAxis.axis, format: "~s" }, title: "connections held (log)" } as const;
  const y = { field: "v", type: "quantitative", ...logAxis("v"), title: p.axis } as const;
  const color = { field: "target", type: "nominal", legend: { orient: "bottom" } } as const;
  return {
    $schema: SCHEMA,
    config: { legend: { labelLimit: 0 }, axis: { labelLimit: 0 } },
    width: 470,
    height: 280,
    layer: [
      {
        data: { values: measured(s, p) },
        mark: { type: "line", point: { size: 30, filled: true } },
        encoding: { x, y, color, order: { field: "n", type: "quantitative" } },
      },
      {
        data: { values: projected(s, p) },
        mark: { type: "line", strokeDash: [5, 4], opacity: 0.8 },
        encoding: {
          x,
          y,
          color,
          order: { field: "n", type: "quantitative" },
          tooltip: [{ field: "target" }, { field: "n", title: "connections" }, { field: "v", title: "projected", format: ".3~s" }],
        },
      },
      {
        data: { values: lastLevels(s, p) },
        mark: { type: "point", shape: "circle", size: 160, strokeWidth: 2, filled: false },
        encoding: {
          x,
          y,
          color,
          tooltip: [{ field: "target" }, { field: "n", title: "last level held" }, { field: "ended", title: "curve" }],
        },
      },
    ],
  } as TopLevelSpec;
}

export function scalingCharts(s: ScenarioReport): ChartSpec[] {
  const scaling = s.latest.result.scaling;
  if (!scaling || scaling.curves.every((c) => c.points.length === 0)) return [];
  const projectedTo =
    scaling.projectTo.length > 0
      ? ` Dashed: projected by the cost model to ${Math.max(...scaling.projectTo).toLocaleString("en-US")} connections, never measured.`
      : "";
  return PANELS.map((p) => ({
    id: `${s.name}-scaling-${p.key}`,
    title: p.title,
    caption: `Solid with dots: measured medians per level.${p.key === "p99Us" ? "" : projectedTo} Ringed: each target's last level held (its tooltip says why the curve ended).`,
    spec: scalingSpec(scaling, p),
  }));
}
