// The network section of a result whose runs crossed a link: per row, the
// link's settings, what it did (packets dropped, how late the relay let them go) and what the
// kernel's TCP did in both namespaces (retransmissions, timeouts, Fast Open), medians over the
// row's repetitions. Shared by the terminal (bench) and the report.
import type { ResultFile, RunOk } from "../model/index.js";
import { networkReasons } from "../verdict/index.js";
import type { NetworkRecord } from "../model/index.js";
import { median } from "../stats/index.js";
import type { Block } from "../present/doc.js";
import { renderText } from "../present/doc.js";
import { formatValue } from "../present/format.js";
import type { Table } from "../present/table.js";

function both(n: NetworkRecord, key: string): number {
  return (n.tcp.server[key] ?? 0) + (n.tcp.client[key] ?? 0);
}

/** Packets the eBPF droppers took (link.loss.by "ebpf"), both directions. */
function ebpfDropped(n: NetworkRecord): number {
  const e = n.link?.ebpf;
  return e ? e.toServer.dropped + e.toClient.dropped : 0;
}

function med(xs: number[], f: (v: number) => string): string {
  const m = median(xs);
  return m === null ? "-" : f(m);
}

const count = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
const us = (v: number) => formatValue(v, "us");

function linkText(n: NetworkRecord): string {
  const l = n.link;
  if (n.topology === "ssh") return `hosts over ssh, target at ${n.serverAddress}`;
  if (!l) return "veth, no delay";
  const parts = [`${l.delayMs} ms${l.jitterMs > 0 ? ` +- ${l.jitterMs}` : ""} each way`, `loss ${l.lossPct} %`];
  if (l.rateMbit !== null) parts.push(`${l.rateMbit} Mbit/s`);
  return `${parts.join(", ")} (${l.engine}${l.ebpf ? ", loss by eBPF" : ""})`;
}

/** Null when no run of the result has a network record. */
export function networkTable(r: ResultFile): Table | null {
  const ok = r.runs.filter((x): x is RunOk & { network: NetworkRecord } => x.status === "ok" && x.network !== undefined);
  if (ok.length === 0) return null;
  const rows = new Map<string, (RunOk & { network: NetworkRecord })[]>();
  for (const x of ok) {
    const key = x.variant === "default" ? x.target : `${x.target}/${x.variant}`;
    rows.set(key, [...(rows.get(key) ?? []), x]);
  }
  return {
    header: [
      "row",
      "link",
      "p99",
      "p99.9",
      "link dropped",
      "retransmitted segs",
      "RTO timeouts",
      "TFO active/passive",
      "relay late mean / max",
      "runs",
    ],
    alignRight: [2, 3, 4, 5, 6, 7, 8, 9],
    rows: [...rows.entries()].map(([key, runs]) => {
      const nets = runs.map((x) => x.network);
      const dirs = nets.map((n) => [n.link?.toServer, n.link?.toClient]);
      const counted = dirs.every((d) => d[0] && d[1]);
      const late = counted ? dirs.map((d) => Math.max(d[0]!.lateMeanUs ?? 0, d[1]!.lateMeanUs ?? 0)) : [];
      const lateMax = counted ? dirs.map((d) => Math.max(d[0]!.lateMaxUs ?? 0, d[1]!.lateMaxUs ?? 0)) : [];
      return [
        key,
        linkText(nets[0]!),
        med(
          runs.map((x) => x.latencyUs.p99),
          us,
        ),
        med(
          runs.map((x) => x.latencyUs.p999),
          us,
        ),
        counted
          ? med(
              dirs.map((d, i) => d[0]!.dropped + d[1]!.dropped + ebpfDropped(nets[i]!)),
              count,
            )
          : "-",
        med(
          nets.map((n) => both(n, "RetransSegs")),
          count,
        ),
        med(
          nets.map((n) => both(n, "TCPTimeouts")),
          count,
        ),
        `${med(
          nets.map((n) => n.tcp.client["TCPFastOpenActive"] ?? 0),
          count,
        )} / ${med(
          nets.map((n) => n.tcp.server["TCPFastOpenPassive"] ?? 0),
          count,
        )}`,
        counted ? `${med(late, us)} / ${med(lateMax, us)}` : "-",
        String(runs.length),
      ];
    }),
  };
}

export const NETWORK_LEGEND =
  "Medians over the row's runs. link dropped: packets the link's loss draw dropped (the relay's, or the eBPF droppers' with loss by eBPF), both directions; retransmitted segs: the kernel's RetransSegs in both namespaces; " +
  "RTO timeouts: TCPTimeouts; TFO active/passive: connections whose SYN carried data (client) and accepted so (server); relay late: how long after its due time the relay let a packet go (mean over the window / max since the link was made): a late relay adds to the link's delay.";

/** Runs whose network figures say the measurement is not what the scenario asked for. */
export function networkWarnings(r: ResultFile): string[] {
  return r.runs.flatMap((x) =>
    x.status === "ok"
      ? networkReasons(x).map((w) => `${x.variant === "default" ? x.target : `${x.target}/${x.variant}`} rep ${x.rep + 1}: ${w.message}`)
      : [],
  );
}

/** ssh: each run's hosts, their identity, CPU and (client hosts of a spread load) their share. */
export function hostsTable(r: ResultFile): Table | null {
  const runs = r.runs.filter((x): x is RunOk & { network: NetworkRecord } => x.status === "ok" && (x.network?.hosts?.length ?? 0) > 0);
  if (runs.length === 0) return null;
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? "-" : formatValue(v, "%"));
  return {
    header: ["row", "rep", "role", "host", "CPU model, cores, kernel", "CPU", "requests", "share", "p99"],
    alignRight: [1, 5, 6, 7, 8],
    rows: runs.flatMap((x) =>
      x.network.hosts!.map((h) => [
        x.variant === "default" ? x.target : `${x.target}/${x.variant}`,
        String(x.rep + 1),
        h.role,
        h.host,
        h.cores > 0 ? `${h.cpuModel}, ${h.cores}, ${h.kernel}` : "-",
        pct(h.cpuPct),
        h.requests === undefined ? "-" : String(h.requests),
        h.share === undefined ? "-" : formatValue(h.share * 100, "%"),
        h.p99Us === undefined ? "-" : us(h.p99Us),
      ]),
    ),
  };
}

/** The section as document blocks (none without network records): report.md, report.html and
 *  the terminal render the same blocks. */
export function networkBlocks(r: ResultFile): Block[] {
  const t = networkTable(r);
  if (!t) return [];
  const h = hostsTable(r);
  const w = networkWarnings(r);
  const out: Block[] = [
    { kind: "heading", level: 3, text: "Network: link and kernel TCP counters" },
    { kind: "para", tone: "note", spans: [NETWORK_LEGEND] },
    { kind: "table", table: t },
  ];
  if (w.length > 0) out.push({ kind: "list", tone: "warn", title: "Warnings:", items: w.map((x) => [x]) });
  if (h) out.push({ kind: "para", spans: ["Hosts:"] }, { kind: "table", table: h });
  return out;
}

/** For the terminal after a bench run; null without network records. */
export function networkText(r: ResultFile): string | null {
  const blocks = networkBlocks(r);
  return blocks.length > 0 ? renderText(blocks) : null;
}
