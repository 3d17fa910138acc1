// The capacity sweep's chart (issue 15): latency against offered rate, one curve per target and
// percentile (p50, p99, p99.9) on log axes, each SLO as a horizontal line, each knee marked.
// One chart per connection count. Pure: the newest result's `sweeps` in, vega-lite specs out.
import type { TopLevelSpec } from "vega-lite";

import type { SweepResult } from "../model/index.js";
import type { ChartSpec } from "./chart-spec.js";
import type { ScenarioReport } from "./model.js";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
/** One marker per target (in the order vega assigns its colours); the knees keep their diamond. */
const TARGET_SHAPES = [
  "circle",
  "square",
  "triangle-up",
  "cross",
  "triangle-down",
  "triangle-right",
  "triangle-left",
  "wedge",
  "arrow",
  "stroke",
];
const PERCENTILES = [
  ["p50", "p50"],
  ["p99", "p99"],
  ["p999", "p99.9"],
] as const;

function points(sweeps: readonly SweepResult[]) {
  return sweeps.flatMap((sw) =>
    sw.reps.flatMap((r) =>
      r.steps.flatMap((s) =>
        PERCENTILES.map(([k, label]) => ({
          target: sw.target,
          rep: r.rep,
          percentile: label,
          offered: s.offeredRps,
          ms: Math.max(s.latencyUs[k], 1) / 1000,
        })),
      ),
    ),
  );
}

function knees(sweeps: readonly SweepResult[]) {
  return sweeps.flatMap((sw) =>
    sw.knee.flatMap((k) =>
      k.rps === null
        ? []
        : [
            {
              target: sw.target,
              slo: k.slo,
              offered: k.rps.median,
              ms: k.limitUs / 1000,
              label: `${k.bound === "atLeast" ? ">=" : ""}${Math.round(k.rps.median)}`,
            },
          ],
    ),
  );
}

function slos(sweeps: readonly SweepResult[]) {
  const seen = new Map<string, number>();
  for (const sw of sweeps) for (const k of sw.knee) seen.set(k.slo, k.limitUs / 1000);
  return [...seen].map(([slo, ms]) => ({ slo, ms }));
}

/** Ticks at 1, 2 and 5 of each decade the rates span: vega's own log ticks (every 1..9 of a
 *  decade, "20,000" beside "30,000") ran into each other. */
function rateTicks(rates: number[]): number[] {
  const lo = Math.min(...rates);
  const hi = Math.max(...rates);
  const out: number[] = [];
  for (let d = 10 ** Math.floor(Math.log10(lo)); d <= hi; d *= 10)
    for (const m of [1, 2, 5]) if (m * d >= lo && m * d <= hi) out.push(m * d);
  return out;
}

export function kneeSpec(sweeps: readonly SweepResult[]): TopLevelSpec {
  const rates = points(sweeps)
    .map((p) => p.offered)
    .filter((r) => r > 0);
  const axis = rates.length > 0 ? { values: rateTicks(rates), format: "~s" } : { format: "~s" };
  const x = { field: "offered", type: "quantitative", scale: { type: "log" }, title: "offered rate (req/s, log)", axis } as const;
  const y = { field: "ms", type: "quantitative", scale: { type: "log" }, title: "latency (ms, log; CO-corrected)" } as const;
  return {
    $schema: SCHEMA,
    config: { legend: { labelLimit: 0 }, axis: { labelLimit: 0 } },
    width: 470,
    height: 300,
    layer: [
      {
        data: { values: points(sweeps) },
        mark: { type: "line", point: { size: 24, filled: false } },
        encoding: {
          x,
          y,
          // Colour and marker both name the target: with six targets x three percentiles x the
          // repetitions, colour alone left dozens of lines that only a legend lookup could tell apart.
          color: { field: "target", type: "nominal", legend: { orient: "bottom" } },
          shape: { field: "target", type: "nominal", scale: { range: TARGET_SHAPES }, legend: { orient: "bottom" } },
          strokeDash: {
            field: "percentile",
            type: "nominal",
            scale: {
              domain: ["p50", "p99", "p99.9"],
              range: [
                [1, 0],
                [6, 3],
                [2, 2],
              ],
            },
            legend: null,
          },
          detail: { field: "rep", type: "nominal" },
          order: { field: "offered", type: "quantitative" },
        },
      },
      {
        data: { values: slos(sweeps) },
        mark: { type: "rule", color: "#888", strokeDash: [2, 2] },
        encoding: { y: { field: "ms", type: "quantitative" } },
      },
      {
        data: { values: slos(sweeps) },
        mark: { type: "text", align: "left", dx: 4, dy: -6, color: "#666", fontSize: 10 },
        encoding: { y: { field: "ms", type: "quantitative" }, x: { value: 0 }, text: { field: "slo" } },
      },
      {
        data: { values: knees(sweeps) },
        mark: { type: "point", shape: "diamond", size: 90, filled: true, stroke: "black" },
        encoding: {
          x,
          y,
          color: { field: "target", type: "nominal" },
          tooltip: [{ field: "target" }, { field: "slo" }, { field: "label", title: "knee req/s" }],
        },
      },
    ],
  } as TopLevelSpec;
}

export function kneeCharts(s: ScenarioReport): ChartSpec[] {
  const sweeps = s.latest.result.sweeps ?? [];
  const byConns = new Map<number, SweepResult[]>();
  for (const sw of sweeps) byConns.set(sw.load.connections, [...(byConns.get(sw.load.connections) ?? []), sw]);
  return [...byConns].map(([c, list]) => ({
    id: `${s.name}-knee-c${c}`,
    title: `Latency against offered rate, ${c} connections`,
    caption:
      "Each point a constant-rate step (open loop, latency from the intended send time); colour and marker: the target; solid p50, dashed p99, dotted p99.9; grey lines: the SLOs; diamonds: each target's knee (the highest offered rate that met the SLO, median over repetitions; '>=' where the client saturated first).",
    spec: kneeSpec(list),
  }));
}
