// The load summary: what `load` measured, as one typed object. Its zod schema is the contract of
// `load --json` and is published as schema/load.schema.json (test/load-cli-schema.test.ts keeps
// the file equal to z.toJSONSchema of this schema).
import { GENERATOR_NAMES, NATIVE_BACKENDS, VERDICT_KINDS, VERDICTS } from "../model/index.js";
import hdr from "hdr-histogram-js";
import { z } from "zod";

import type { LoadResult } from "../load/types.js";
import type { WindowStats } from "../probe/sampler.js";
import { buildLoadConnections, LoadConnections } from "./load-connections.js";
import { buildLoadTls, LoadTls } from "./load-tls.js";
import type { LoadRequestSpec } from "./load-request.js";

export const LOAD_SCHEMA = "evbench/load@1";

/** The shared validity verdict (COMMON contract; the same shape as results/schema.ts's Verdict). */
export const LoadVerdict = z.object({
  verdict: z.enum(VERDICTS),
  reasons: z.array(
    z.object({
      kind: z.enum(VERDICT_KINDS),
      code: z.string(),
      message: z.string(),
    }),
  ),
});
export type LoadVerdict = z.infer<typeof LoadVerdict>;

const Percentile = z.object({
  percentile: z.number().describe("0..100"),
  valueUs: z.number(),
  count: z.number().int().describe("answers at or below valueUs"),
});

export const LoadSummary = z
  .object({
    schema: z.literal(LOAD_SCHEMA),
    generator: z.enum(GENERATOR_NAMES),
    url: z.string(),
    settings: z.object({
      connections: z.number().int(),
      threads: z.number().int(),
      pipeline: z.number().int(),
      rate: z.number().nullable().describe("constant total rate (open loop), null for closed loop"),
      keepAlive: z.boolean(),
      method: z.string(),
      headers: z.record(z.string(), z.string()),
      bodyBytes: z.number().int(),
      warmupS: z.number(),
      durationS: z.number().describe("the measurement time asked for"),
      maxRequests: z.number().int().nullable(),
      timeoutMs: z.number().int(),
      backend: z.enum(NATIVE_BACKENDS).nullable().describe("the native generator's I/O backend; null for wrk and autocannon (their own)"),
      sqpoll: z.boolean().describe("io_uring with a kernel submission-polling thread"),
      protocol: z
        .enum(["http/1.1", "https/1.1", "h2c", "h2"])
        .describe("HTTP/1.1 in the clear or over TLS, HTTP/2 with prior knowledge (h2c) or over TLS (ALPN h2)"),
      streams: z.number().int().nullable().describe("HTTP/2: concurrent streams per connection; null for HTTP/1.1"),
      h2WindowBytes: z.number().int().nullable().describe("HTTP/2: the receive window asked of the server; null: nghttp2's 65,535"),
    }),
    requests: z.number().int().describe("answers inside the measurement window, any status"),
    durationS: z.number().describe("the measurement window as measured"),
    rps: z.number(),
    bytesRead: z.number(),
    transferBytesPerS: z.number(),
    latencyUs: z
      .object({
        min: z.number(),
        mean: z.number(),
        stdev: z.number(),
        max: z.number(),
        p50: z.number(),
        p75: z.number(),
        p90: z.number(),
        p99: z.number(),
        p999: z.number(),
        p9999: z.number(),
      })
      .nullable()
      .describe("null when nothing answered (no latency was measured; never 0)"),
    percentiles: z.array(Percentile).describe("the distribution at the standard percentiles"),
    status: z.record(z.string(), z.number()).describe("answers by status code (or class, e.g. 2xx, where the generator counts classes)"),
    errors: z.object({
      connect: z.number(),
      reset: z.number(),
      timeout: z.number(),
      badResponse: z.number(),
      status: z.number(),
      tls: z.number(),
      goaway: z.number(),
      rstStream: z.number(),
      total: z.number(),
    }),
    accounting: z
      .object({ sent: z.number(), answered: z.number(), failed: z.number(), unfinished: z.number() })
      .nullable()
      .describe(
        "over the whole run (warm-up and the drain after the window included): requests written = answered + failed in flight + unfinished at the end; null where the generator does not count them",
      ),
    check: z
      .object({
        expected: z
          .object({ status: z.number().int().nullable(), length: z.number().int().nullable(), bodyHash: z.string().nullable() })
          .describe("null: the field was not checked"),
        mismatched: z.number().int().describe("answers in the window unlike the expected one (also counted in requests)"),
        status: z.number().int(),
        length: z.number().int(),
        body: z.number().int(),
      })
      .nullable()
      .describe("--check: every answer compared with the expected one; null without --check"),
    connections: LoadConnections.nullable().describe(
      "connections held and sending, arrivals, connects measured (native); null for the other generators",
    ),
    tls: LoadTls.nullable().describe("https (native): what was negotiated and the handshakes measured; null for http and wrk"),
    perSecond: z.array(z.number()).describe("answers in each second of the window"),
    client: z.object({ cpuPct: z.number(), reqPerCpuSec: z.number().nullable() }).nullable(),
    verdict: LoadVerdict.nullable().describe("null where no verdict was computed (see verdictNote)"),
    verdictNote: z.string().nullable(),
  })
  .describe("The summary of one `evbench load` run (load --json)");
export type LoadSummary = z.infer<typeof LoadSummary>;

export const STANDARD_PERCENTILES = [50, 75, 90, 95, 99, 99.9, 99.99, 100];

/** Cumulative count at or below each value the histogram holds (exact, from its buckets). */
export function recordedValues(h: hdr.Histogram): { valueUs: number; count: number }[] {
  if (!(h instanceof hdr.JsHistogram)) return [];
  const it = h.recordedValuesIterator;
  it.reset();
  const out: { valueUs: number; count: number }[] = [];
  while (it.hasNext()) {
    const v = it.next();
    out.push({ valueUs: h.highestEquivalentValue(v.valueIteratedTo), count: v.countAtValueIteratedTo });
  }
  return out;
}

function percentiles(h: hdr.Histogram): z.infer<typeof Percentile>[] {
  const values = recordedValues(h);
  return STANDARD_PERCENTILES.map((p) => {
    const valueUs = h.getValueAtPercentile(p);
    let count = 0;
    for (const v of values) if (v.valueUs <= valueUs) count += v.count;
    return { percentile: p, valueUs, count };
  });
}

/** The whole run's request accounting where the generator keeps it (native). */
function accountingOf(r: LoadResult): { sent: number; answered: number; failed: number; unfinished: number } | null {
  const { sent, answered, failed, unfinished } = r;
  return sent !== null && answered !== null && failed !== null && unfinished !== null ? { sent, answered, failed, unfinished } : null;
}

function checkOf(spec: LoadRequestSpec, r: LoadResult): LoadSummary["check"] {
  if (r.check === undefined) return null;
  return {
    expected: { status: spec.checkStatus ?? null, length: spec.checkLength ?? null, bodyHash: spec.checkBodyHash ?? null },
    ...r.check,
  };
}

export interface SummaryInput {
  url: string;
  spec: LoadRequestSpec;
  result: LoadResult;
  client: WindowStats | null;
  verdict: LoadVerdict | null;
  verdictNote: string | null;
}

export function buildLoadSummary(i: SummaryInput): LoadSummary {
  const { spec, result: r } = i;
  const h = r.latency;
  const at = (p: number) => h.getValueAtPercentile(p);
  const e = r.errors;
  return {
    schema: LOAD_SCHEMA,
    generator: r.generator,
    url: i.url,
    settings: {
      connections: spec.connections,
      threads: spec.threads,
      pipeline: spec.pipeline,
      rate: spec.rate,
      keepAlive: spec.keepAlive,
      method: spec.method,
      headers: spec.headers,
      bodyBytes: spec.bodyBytes,
      warmupS: spec.warmupS,
      durationS: spec.durationS,
      maxRequests: spec.requests ?? null,
      timeoutMs: spec.timeoutMs,
      backend: r.generator === "native" ? (spec.backend ?? "epoll") : null,
      sqpoll: spec.sqpoll ?? false,
      protocol: spec.h2 ? (spec.tls ? "h2" : "h2c") : spec.tls ? "https/1.1" : "http/1.1",
      streams: spec.h2?.streams ?? null,
      h2WindowBytes: spec.h2?.window ?? null,
    },
    requests: r.requests,
    durationS: r.durationS,
    rps: r.rps,
    bytesRead: r.bytesRead,
    transferBytesPerS: r.durationS > 0 ? r.bytesRead / r.durationS : 0,
    latencyUs:
      h.totalCount > 0
        ? {
            min: h.minNonZeroValue,
            mean: h.mean,
            stdev: h.stdDeviation,
            max: h.maxValue,
            p50: at(50),
            p75: at(75),
            p90: at(90),
            p99: at(99),
            p999: at(99.9),
            p9999: at(99.99),
          }
        : null,
    percentiles: h.totalCount > 0 ? percentiles(h) : [],
    status: r.statusCodes ?? r.status,
    errors: { ...e, total: e.connect + e.reset + e.timeout + e.badResponse + e.status + e.tls + e.goaway + e.rstStream },
    accounting: accountingOf(r),
    check: checkOf(spec, r),
    connections: r.generator === "native" ? buildLoadConnections(spec, r) : null,
    tls: buildLoadTls(r, { resume: spec.tls?.resume ?? false, earlyData: spec.tls?.earlyData ?? false }),
    perSecond: r.perSecond,
    client: i.client ? { cpuPct: i.client.cpuPct, reqPerCpuSec: i.client.cpuPct > 0 ? r.rps / (i.client.cpuPct / 100) : null } : null,
    verdict: i.verdict,
    verdictNote: i.verdictNote,
  };
}

/** The JSON Schema of `load --json`, as shipped in schema/load.schema.json. */
export function loadJsonSchema(): unknown {
  return { title: LOAD_SCHEMA, ...z.toJSONSchema(LoadSummary) };
}
