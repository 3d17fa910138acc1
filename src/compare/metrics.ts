// The metrics compare looks at, each with where it comes from in a run and which way is worse.
// One table, so the text, Markdown and JSON outputs and the regression gate agree on every row.
import type { RunOk } from "../results/schema.js";

export type Unit = "req/s" | "us" | "bytes" | "1/s" | "B/req" | "req/CPU-s" | "x";

export interface MetricDef {
  key: string;
  label: string;
  unit: Unit;
  /** "higher": a larger value is better (throughput); "lower": a larger value is worse. */
  better: "higher" | "lower";
  /** The value of one repetition; null when the run did not report it. */
  of: (r: RunOk) => number | null;
}

export const METRICS: readonly MetricDef[] = [
  { key: "rps", label: "req/s", unit: "req/s", better: "higher", of: (r) => r.rps },
  { key: "serverReqPerCpuSec", label: "req/server-CPU-s", unit: "req/CPU-s", better: "higher", of: (r) => r.server.reqPerCpuSec },
  { key: "clientReqPerCpuSec", label: "req/client-CPU-s", unit: "req/CPU-s", better: "higher", of: (r) => r.client.reqPerCpuSec },
  { key: "p50Us", label: "latency p50", unit: "us", better: "lower", of: (r) => r.latencyUs.p50 },
  { key: "p99Us", label: "latency p99", unit: "us", better: "lower", of: (r) => r.latencyUs.p99 },
  { key: "rssPeakBytes", label: "RSS peak", unit: "bytes", better: "lower", of: (r) => r.server.rssPeakBytes },
  { key: "rssSwingBytes", label: "RSS swing", unit: "bytes", better: "lower", of: (r) => r.server.rssSwingBytes ?? null }, // handbook
  { key: "gcPerSec", label: "GC/s", unit: "1/s", better: "lower", of: (r) => r.server.gcPerSec },
  { key: "allocBytesPerReq", label: "alloc/req", unit: "B/req", better: "lower", of: (r) => r.server.allocBytesPerReq },
];
