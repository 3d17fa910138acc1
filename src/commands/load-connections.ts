// `load`'s connections block: how many were held and how many sent, the arrivals, the source
// addresses, and what the connects measured (rate achieved in the ramp, latency, errors by
// kind), with the generator's own memory per connection. Its zod schema is part of load --json.
import { ARRIVALS } from "../model/index.js";
import { z } from "zod";

import { sourceAddressesFor } from "../load/source-addresses.js";
import { CONNECT_ERROR_KINDS, type LoadResult } from "../load/types.js";
import { fmtBytes, fmtCount, fmtUs } from "../ui/format.js";
import type { LoadRequestSpec } from "./load-request.js";

const ConnectErrors = z.object(
  Object.fromEntries(CONNECT_ERROR_KINDS.map((k) => [k, z.number().int()])) as Record<(typeof CONNECT_ERROR_KINDS)[number], z.ZodNumber>,
);

export const LoadConnections = z.object({
  held: z.number().int().describe("connections opened and held (-c)"),
  active: z.number().int().describe("connections that send (--active; the others are held idle)"),
  arrival: z.enum(ARRIVALS).nullable().describe("open-loop arrivals per connection; null in closed loop"),
  seed: z.number().int().nullable().describe("the PRNG seed of poisson arrivals"),
  sourceAddresses: z.array(z.string()).nullable().describe("local addresses bound in turn; null: the kernel chose"),
  connectRateAsked: z.number().nullable().describe("--connect-rate per second; null: full speed"),
  connect: z
    .object({
      attempts: z.number().int(),
      opened: z.number().int().describe("connects that succeeded, reconnects included"),
      firstOpened: z.number().int().describe("connections open at least once"),
      rampS: z.number().describe("from the load's start until the last of them was first open"),
      ratePerS: z.number().nullable().describe("firstOpened / rampS"),
      rampCpuS: z.number().describe("CPU time of the generator's load threads until all their connections were open"),
      errors: ConnectErrors.describe("failed connects by errno kind"),
      latencyUs: z
        .object({ mean: z.number(), p50: z.number(), p90: z.number(), p99: z.number(), p999: z.number(), max: z.number() })
        .describe("connect() to established"),
    })
    .nullable()
    .describe("null where the generator does not measure its connects"),
  memory: z
    .object({ rssBeforeBytes: z.number(), rssAfterBytes: z.number(), perConnectionBytes: z.number() })
    .nullable()
    .describe("the generator process's resident memory before and after the load, and the difference per connection held"),
});
export type LoadConnections = z.infer<typeof LoadConnections>;

function connectOf(r: LoadResult): LoadConnections["connect"] {
  const k = r.connect;
  if (k === undefined) return null;
  const h = k.latency;
  const at = (p: number) => (h.totalCount > 0 ? h.getValueAtPercentile(p) : 0);
  const { attempts, opened, firstOpened, rampS, ratePerS, rampCpuS, errors } = k;
  return {
    attempts,
    opened,
    firstOpened,
    rampS,
    ratePerS,
    rampCpuS,
    errors,
    latencyUs: { mean: h.mean, p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: h.maxValue },
  };
}

export function buildLoadConnections(spec: LoadRequestSpec, r: LoadResult): LoadConnections {
  const sources = r.generator === "native" ? sourceAddressesFor(spec.host, spec.port, spec.connections, spec.sourceAddresses) : undefined;
  const m = r.memory;
  return {
    held: spec.connections,
    active: spec.active ?? spec.connections,
    arrival: spec.rate === null ? null : (spec.arrival ?? "constant"),
    seed: spec.arrival === "poisson" ? (spec.seed ?? 1) : null,
    sourceAddresses: sources ?? null,
    connectRateAsked: spec.connectRate ?? null,
    connect: connectOf(r),
    memory: m ? { rssBeforeBytes: m.rssBeforeBytes, rssAfterBytes: m.rssAfterBytes, perConnectionBytes: m.perConnectionBytes } : null,
  };
}

function int(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** The summary's rows for the connections: [label, text], only those with something to say. */
export function connectionRows(c: LoadConnections): [string, string][] {
  const rows: [string, string][] = [];
  const sending = c.active < c.held ? `, ${int(c.active)} send (${int(c.held - c.active)} held idle)` : "";
  const arrivals = c.arrival === "poisson" ? `, poisson arrivals (seed ${c.seed})` : "";
  const from = c.sourceAddresses
    ? `, from ${c.sourceAddresses.length} source address(es) ${c.sourceAddresses.slice(0, 3).join(", ")}${c.sourceAddresses.length > 3 ? ", ..." : ""}`
    : "";
  rows.push(["connections", `${int(c.held)} held${sending}${arrivals}${from}`]);
  const k = c.connect;
  if (k !== null) {
    const asked = c.connectRateAsked !== null ? ` (asked ${fmtCount(c.connectRateAsked)}/s)` : " (full speed)";
    const rate = k.ratePerS !== null ? `${fmtCount(k.ratePerS)}/s` : "-";
    const perCpu = k.rampCpuS > 0 ? `, ${fmtCount(k.firstOpened / k.rampCpuS)} per client CPU-second` : "";
    rows.push([
      "connects",
      `${int(k.firstOpened)} opened in ${k.rampS.toFixed(2)}s = ${rate}${asked}${perCpu}; ${int(k.attempts)} attempts, ${int(k.opened)} succeeded`,
    ]);
    const l = k.latencyUs;
    rows.push(["", `connect latency p50 ${fmtUs(l.p50)}  p99 ${fmtUs(l.p99)}  p99.9 ${fmtUs(l.p999)}  max ${fmtUs(l.max)}`]);
    const failed = Object.entries(k.errors).filter(([, n]) => n > 0);
    if (failed.length > 0) rows.push(["", `connect errors: ${failed.map(([kind, n]) => `${kind} ${int(n)}`).join(", ")}`]);
  }
  if (c.memory !== null)
    rows.push([
      "client RSS",
      `${fmtBytes(c.memory.perConnectionBytes)} per connection (${fmtBytes(c.memory.rssAfterBytes - c.memory.rssBeforeBytes)} over ${int(c.held)})`,
    ]);
  return rows;
}
