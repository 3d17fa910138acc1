// `load`'s TLS block (https): what was negotiated, the handshakes (full and resumed) and their
// latency, apart from the requests', early data sent and accepted, and the failed handshakes by
// kind. Part of load --json.
import { z } from "zod";

import { TLS_ERROR_KINDS, type LoadResult, type TlsErrorKind } from "../load/types.js";
import { fmtUs } from "../ui/format.js";

const int = (n: number) => Math.round(n).toLocaleString("en-US");

const TlsErrors = z.object(Object.fromEntries(TLS_ERROR_KINDS.map((k) => [k, z.number().int()])) as Record<TlsErrorKind, z.ZodNumber>);

export const LoadTls = z.object({
  version: z.string().nullable().describe("the TLS version negotiated (e.g. TLSv1.3); null when no handshake completed"),
  cipher: z.string().nullable(),
  alpn: z.string().nullable().describe("the protocol the server selected by ALPN; null: none"),
  resumeAsked: z.boolean().describe("--tls-resume: the last session ticket offered on every new connection"),
  handshakes: z.number().int().describe("completed handshakes, full and resumed, over the whole run"),
  resumed: z.number().int(),
  earlyDataAsked: z.boolean().describe("--tls-early-data: a resumed connection's first requests sent as TLS 1.3 early data"),
  earlyDataSent: z.number().int().describe("connections whose first requests went as early data (the ticket allowed it)"),
  earlyDataAccepted: z.number().int().describe("of those, accepted by the server; the others were sent again after the handshake"),
  errors: TlsErrors.describe("failed handshakes by kind (also counted in errors.tls with the requests they lost)"),
  latencyUs: z
    .object({ mean: z.number(), p50: z.number(), p90: z.number(), p99: z.number(), p999: z.number(), max: z.number() })
    .nullable()
    .describe("from the TCP connect's end to the handshake's end; null when none completed"),
});
export type LoadTls = z.infer<typeof LoadTls>;

export function buildLoadTls(r: LoadResult, asked: { resume: boolean; earlyData: boolean }): LoadTls | null {
  const t = r.tls;
  if (t === undefined) return null;
  const h = t.latency;
  const at = (p: number) => h.getValueAtPercentile(p);
  return {
    version: t.version,
    cipher: t.cipher,
    alpn: t.alpn,
    resumeAsked: asked.resume,
    handshakes: t.handshakes,
    resumed: t.resumed,
    earlyDataAsked: asked.earlyData,
    earlyDataSent: t.earlyDataSent,
    earlyDataAccepted: t.earlyDataAccepted,
    errors: t.errors,
    latencyUs: h.totalCount > 0 ? { mean: h.mean, p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: h.maxValue } : null,
  };
}

/** The text summary's rows for TLS: [label, text]. */
export function tlsRows(t: LoadTls): [string, string][] {
  const what = t.version !== null ? `${t.version} ${t.cipher ?? ""}${t.alpn !== null ? `, ALPN ${t.alpn}` : ""}` : "no handshake completed";
  const rows: [string, string][] = [
    ["tls", `${what}; ${int(t.handshakes)} handshakes (${int(t.resumed)} resumed${t.resumeAsked ? "" : ", resumption off"})`],
  ];
  if (t.earlyDataAsked)
    rows.push(["", `early data: ${int(t.earlyDataSent)} connections sent it, ${int(t.earlyDataAccepted)} accepted (the rest sent again)`]);
  const l = t.latencyUs;
  if (l !== null)
    rows.push(["", `handshake latency p50 ${fmtUs(l.p50)}  p99 ${fmtUs(l.p99)}  p99.9 ${fmtUs(l.p999)}  max ${fmtUs(l.max)}`]);
  const failed = Object.entries(t.errors).filter(([, n]) => n > 0);
  if (failed.length > 0) rows.push(["", `tls errors: ${failed.map(([kind, n]) => `${kind} ${int(n)}`).join(", ")}`]);
  return rows;
}
