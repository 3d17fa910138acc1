// `load`'s human output: the summary block, a latency histogram drawn in text (as oha draws it,
// with log-spaced rows so a tail does not squash the body into one row), and with --latency the
// full percentile distribution (as wrk2 prints it: fixed percentiles, then HdrHistogram's spectrum).
import type { Histogram } from "hdr-histogram-js";

import { fmtBytes, fmtCount, fmtUs } from "../ui/format.js";
import { connectionRows } from "./load-connections.js";
import { tlsRows } from "./load-tls.js";
import { recordedValues, type LoadSummary } from "./load-summary.js";

const BAR = "■";
const BAR_WIDTH = 32;
const HISTOGRAM_ROWS = 12;

function int(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

function header(s: LoadSummary): string {
  const st = s.settings;
  // Only the native generator times an open-loop request from its intended send time (wrk2's
  // correction); autocannon's constant rate is not corrected for coordinated omission.
  const timing =
    s.generator === "native" ? "latency from intended send time" : "latency from actual send time: not corrected for coordinated omission";
  const loop = st.rate ? `${fmtCount(st.rate)} req/s constant rate (${timing})` : "closed loop";
  const extent = st.maxRequests !== null ? `${int(st.maxRequests)} requests` : `${st.durationS}s after ${st.warmupS}s warm-up`;
  const backend = st.backend === "io_uring" ? ` (io_uring${st.sqpoll ? ", SQPOLL" : ""})` : "";
  const depth = st.streams !== null ? `HTTP/2 (${st.protocol}), ${st.streams} stream(s) per connection` : `pipeline ${st.pipeline}`;
  return `${s.generator}${backend} ${st.method} ${s.url}: ${st.connections} connection(s), ${st.threads} thread(s), ${depth}${st.keepAlive ? "" : ", new connection per request"}, ${loop}, ${extent}`;
}

function statusLine(status: Record<string, number>): string {
  const keys = Object.keys(status).sort();
  return keys.length === 0 ? "no answers" : keys.map((k) => `${k}: ${int(status[k]!)}`).join(", ");
}

function errorLine(e: LoadSummary["errors"]): string {
  if (e.total === 0) return "none";
  const kinds: [string, number][] = [
    ["connect", e.connect],
    ["reset", e.reset],
    ["timeout", e.timeout],
    ["bad response", e.badResponse],
    ["tls", e.tls],
    ["goaway", e.goaway],
    ["rst_stream", e.rstStream],
    ["non-2xx", e.status],
  ];
  return (
    `${int(e.total)}: ` +
    kinds
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${int(n)}`)
      .join(", ")
  );
}

function checkLine(c: NonNullable<LoadSummary["check"]>, answers: number): string {
  const e = c.expected;
  const fields = [
    e.status !== null ? `status ${e.status}` : null,
    e.length !== null ? `length ${int(e.length)}` : null,
    e.bodyHash !== null ? `body ${e.bodyHash}` : null,
  ]
    .filter(Boolean)
    .join(", ");
  if (c.mismatched === 0) return `all ${int(answers)} answers as expected (${fields})`;
  const share = answers > 0 ? ` (${((100 * c.mismatched) / answers).toFixed(2)} %)` : "";
  const by = [
    ["status", c.status],
    ["length", c.length],
    ["body", c.body],
  ]
    .filter(([, n]) => (n as number) > 0)
    .map(([k, n]) => `${k} ${int(n as number)}`)
    .join(", ");
  return `${int(c.mismatched)} of ${int(answers)} answers differ${share}: ${by} (expected ${fields})`;
}

function verdictLine(s: LoadSummary): string {
  if (!s.verdict) return `not computed (${s.verdictNote ?? "no verdict source"})`;
  if (s.verdict.reasons.length === 0) return s.verdict.verdict;
  return `${s.verdict.verdict.toUpperCase()}: ${s.verdict.reasons.map((r) => r.message).join("; ")}`;
}

/** Nothing answered: "-", as everywhere a value was not measured (a 0 would read as instant). */
function latencyRows(l: LoadSummary["latencyUs"]): [string, string][] {
  if (l === null) return [["latency", "- (nothing answered)"]];
  return [
    ["latency", `mean ${fmtUs(l.mean)}, stdev ${fmtUs(l.stdev)}, max ${fmtUs(l.max)}`],
    ["", `p50 ${fmtUs(l.p50)}  p90 ${fmtUs(l.p90)}  p99 ${fmtUs(l.p99)}  p99.9 ${fmtUs(l.p999)}  p99.99 ${fmtUs(l.p9999)}`],
  ];
}

export function summaryText(s: LoadSummary): string {
  const l = s.latencyUs;
  const row = (k: string, v: string) => `  ${k.padEnd(12)}${v}`;
  return [
    header(s),
    "",
    row("requests", `${int(s.requests)} in ${s.durationS.toFixed(2)}s = ${fmtCount(s.rps)} req/s, ${fmtBytes(s.transferBytesPerS)}/s read`),
    ...latencyRows(l).map(([k, v]) => row(k, v)),
    row("status", statusLine(s.status)),
    row("errors", errorLine(s.errors)),
    s.check ? row("check", checkLine(s.check, s.requests)) : null,
    s.accounting
      ? row(
          "accounting",
          `sent ${int(s.accounting.sent)} = answered ${int(s.accounting.answered)} + failed ${int(s.accounting.failed)} + unfinished at the end ${int(s.accounting.unfinished)} (warm-up included)`,
        )
      : null,
    ...(s.connections ? connectionRows(s.connections).map(([k, v]) => row(k, v)) : []),
    ...(s.tls ? tlsRows(s.tls).map(([k, v]) => row(k, v)) : []),
    row(
      "client CPU",
      s.client
        ? `${s.client.cpuPct.toFixed(0)}% (${s.client.reqPerCpuSec ? fmtCount(s.client.reqPerCpuSec) : "-"} req per client CPU-second)`
        : "not sampled",
    ),
    row("verdict", verdictLine(s)),
  ]
    .filter((l) => l !== null)
    .join("\n");
}

/** Rows of [upper bound, count] with log-spaced bounds from the smallest to the largest value. */
export function histogramRows(h: Histogram, rows = HISTOGRAM_ROWS): { upToUs: number; count: number }[] {
  const values = recordedValues(h);
  if (values.length === 0) return [];
  const lo = Math.max(1, values[0]!.valueUs);
  const hi = Math.max(lo + 1, values[values.length - 1]!.valueUs);
  const step = (hi / lo) ** (1 / rows);
  const out = Array.from({ length: rows }, (_, i) => ({ upToUs: i === rows - 1 ? hi : lo * step ** (i + 1), count: 0 }));
  let row = 0;
  for (const v of values) {
    while (row < rows - 1 && v.valueUs > out[row]!.upToUs) row++;
    out[row]!.count += v.count;
  }
  return out;
}

export function histogramText(h: Histogram): string {
  const rows = histogramRows(h);
  if (rows.length === 0) return "Latency histogram: no answers";
  const most = Math.max(...rows.map((r) => r.count));
  const countWidth = Math.max(...rows.map((r) => int(r.count).length)) + 2;
  const lines = rows.map((r) => {
    const bar = BAR.repeat(most > 0 ? Math.round((r.count / most) * BAR_WIDTH) : 0);
    return `  <= ${fmtUs(r.upToUs).padStart(8)} ${`[${int(r.count)}]`.padEnd(countWidth)} |${bar}`;
  });
  return ["Latency histogram (rows spaced by a constant ratio):", ...lines].join("\n");
}

/** wrk2's --latency: the fixed percentiles, then HdrHistogram's detailed spectrum in ms. */
export function latencyDistributionText(s: LoadSummary, h: Histogram): string {
  const fixed = s.percentiles.map((p) => `  ${p.percentile.toFixed(3).padStart(7)}%  ${fmtUs(p.valueUs).padStart(9)}`);
  const spectrum = h.totalCount > 0 ? h.outputPercentileDistribution(5, 1000).trimEnd() : "(no answers)";
  return [
    "Latency distribution (HdrHistogram, recorded latency)",
    ...fixed,
    "",
    "Detailed percentile spectrum (values in ms):",
    spectrum,
  ].join("\n");
}
