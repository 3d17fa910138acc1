// The "kernel" panel of a result: per row, medians over its runs of what the eBPF probes saw in
// the window (run-queue latency, retransmissions, drops by the kernel's reasons, connections),
// or why the probes were unavailable. Shared by the terminal (bench) and the report.
import type { ResultFile, RunOk } from "../model/index.js";
import { median } from "../stats/index.js";
import { renderText, type Block } from "../present/doc.js";
import { formatValue } from "../present/format.js";
import type { Table } from "../present/table.js";
import type { KernelCounts } from "../model/index.js";

type Measured = RunOk & { kernel: KernelCounts };
const TOP_REASONS = 3;

function rowKey(x: RunOk): string {
  return x.variant === "default" ? x.target : `${x.target}/${x.variant}`;
}

function med(xs: number[], unit: "us" | "count"): string {
  const m = median(xs);
  if (m === null) return "-";
  return unit === "us" ? formatValue(m, "us") : Number.isInteger(m) ? String(m) : m.toFixed(1);
}

/** The reasons that dropped the most packets over these runs, with their totals. */
function topReasons(runs: Measured[]): string {
  const sums = new Map<string, number>();
  for (const x of runs) for (const [k, v] of Object.entries(x.kernel.drops.reasons)) sums.set(k, (sums.get(k) ?? 0) + v);
  const top = [...sums.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP_REASONS);
  return top.length === 0 ? "-" : top.map(([k, v]) => `${k} ${v}`).join(", ");
}

export function kernelTable(r: ResultFile): Table | null {
  const rows = new Map<string, Measured[]>();
  for (const x of r.runs) {
    if (x.status !== "ok" || x.kernel?.status !== "measured") continue;
    rows.set(rowKey(x), [...(rows.get(rowKey(x)) ?? []), x as Measured]);
  }
  if (rows.size === 0) return null;
  return {
    header: [
      "row",
      "runq p50",
      "runq p99",
      "preempted",
      "retransmits",
      "SYN / SYN-ACK retrans",
      "loss probes",
      "drops",
      "top drop reasons (all runs)",
      "connect p99",
      "runs",
    ],
    alignRight: [1, 2, 3, 4, 5, 6, 7, 9, 10],
    rows: [...rows.entries()].map(([key, runs]) => {
      const k = runs.map((x) => x.kernel);
      const probes = k.map((x) => x.tcp.lossProbes).filter((v): v is number => v !== null);
      return [
        key,
        med(
          k.map((x) => x.runQueue.p50Us),
          "us",
        ),
        med(
          k.map((x) => x.runQueue.p99Us),
          "us",
        ),
        med(
          k.map((x) => x.runQueue.preempted),
          "count",
        ),
        med(
          k.map((x) => x.tcp.retransmits),
          "count",
        ),
        `${med(
          k.map((x) => x.tcp.synRetransmits),
          "count",
        )} / ${med(
          k.map((x) => x.tcp.synackRetransmits),
          "count",
        )}`,
        probes.length === k.length ? med(probes, "count") : "-",
        med(
          k.map((x) => x.drops.total),
          "count",
        ),
        topReasons(runs),
        med(
          k.filter((x) => x.connections.connect.samples > 0).map((x) => x.connections.connect.p99Us),
          "us",
        ),
        String(runs.length),
      ];
    }),
  };
}

/** One line per run (the report's per-run panel): what each window saw, before any median. */
export function kernelRunsTable(r: ResultFile): Table | null {
  const runs = r.runs.filter((x): x is Measured => x.status === "ok" && x.kernel?.status === "measured");
  if (runs.length === 0) return null;
  const us = (v: number) => formatValue(v, "us");
  return {
    header: [
      "row",
      "rep",
      "runq p50",
      "runq p99",
      "runq max",
      "retransmits",
      "drops",
      "drop reasons",
      "opens active/passive",
      "connect p99",
    ],
    alignRight: [1, 2, 3, 4, 5, 6, 9],
    rows: runs.map((x) => {
      const k = x.kernel;
      return [
        rowKey(x),
        String(x.rep + 1),
        us(k.runQueue.p50Us),
        us(k.runQueue.p99Us),
        us(k.runQueue.maxUs),
        String(k.tcp.retransmits),
        String(k.drops.total),
        topReasons([x]),
        `${k.connections.active} / ${k.connections.passive}`,
        k.connections.connect.samples > 0 ? us(k.connections.connect.p99Us) : "-",
      ];
    }),
  };
}

export const KERNEL_LEGEND =
  "By eBPF over each window, filtered to the target's processes and port; medians over the row's runs. runq: wake-up (or preemption) to running of the target's threads; " +
  "preempted: its switches out while still runnable; retransmits: tcp_retransmit_skb on the port's connections (both ends); loss probes: tail-loss probes (- where the kernel cannot attach the kprobe); " +
  "drops: skb:kfree_skb of the port's TCP packets, by the kernel's drop reason (TC_INGRESS: evbench's own loss dropper); connect p99: SYN sent to established, as the kernel sees it.";

function unavailableReasons(r: ResultFile): string[] {
  const reasons = new Set<string>();
  for (const x of r.runs) if (x.status === "ok" && x.kernel?.status === "unavailable") reasons.add(x.kernel.reason);
  return [...reasons];
}

/** The panel as document blocks (none when no run has a kernel block); `perRun` (the report)
 *  adds each run's own line. */
export function kernelBlocks(r: ResultFile, perRun = false): Block[] {
  const t = kernelTable(r);
  const each = perRun ? kernelRunsTable(r) : null;
  const missing = unavailableReasons(r);
  if (!t && missing.length === 0) return [];
  const out: Block[] = [{ kind: "heading", level: 3, text: "Kernel (eBPF)" }];
  if (t) out.push({ kind: "para", tone: "note", spans: [KERNEL_LEGEND] }, { kind: "table", table: t });
  if (each) out.push({ kind: "para", spans: ["Each run:"] }, { kind: "table", table: each });
  if (missing.length > 0)
    out.push({ kind: "list", tone: "note", title: "Kernel probes unavailable in some runs:", items: missing.map((m) => [m]) });
  return out;
}

/** For the terminal after a bench run; null when no run has a kernel block. */
export function kernelText(r: ResultFile): string | null {
  const blocks = kernelBlocks(r);
  return blocks.length > 0 ? renderText(blocks) : null;
}
