// What a run's network record says about the run's validity, in the shape of the verdict's
// reasons (src/model/verdict.ts VerdictReason), so the verdict can take them as they are:
// - invalid "tfo-unused": Fast Open asked, but fewer than 90 % of the requests' connections
//   carried data on the SYN (the row would measure ordinary connections);
// - invalid "link-overflow": the relay's queue overflowed (loss beyond the asked loss);
// - noisy "link-late": the relay let packets go late on average by more than 10 % of the delay
//   (and 100 us): CPU contention made the link slower than asked;
// - invalid "loss-mismatch": the eBPF dropper dropped another share of packets than the asked
//   loss (beyond a binomial draw's spread): the row measured another loss;
// - noisy "kernel-retransmits": the kernel probes saw data retransmissions on the port's
//   connections where no loss was asked, more than 0.1 % of the requests: the tail measured the
//   kernel's retransmission timers.
import type { KernelWindow, LinkRecord, NetworkRecord, VerdictReason } from "../model/index.js";
import { pct } from "./combine.js";
import {
  LINK_LATE_FLOOR_US,
  LINK_LATE_SHARE,
  LOSS_DRAW_SIGMAS,
  LOSS_SLACK_PCT,
  MAX_UNASKED_RETRANSMIT_SHARE,
  MIN_FAST_OPEN_SHARE,
} from "./thresholds.js";

export interface NetworkRunView {
  requests: number;
  load: { fastOpen: boolean; keepAlive: boolean };
  network?: NetworkRecord;
  kernel?: KernelWindow;
}

function us(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(2)} ms` : `${v.toFixed(0)} us`;
}

export function networkReasons(run: NetworkRunView): VerdictReason[] {
  const n = run.network;
  const out: VerdictReason[] = kernelRetransmitReasons(run);
  if (!n) return out;
  const tfo = n.tcp.client["TCPFastOpenActive"];
  if (run.load.fastOpen && !run.load.keepAlive && tfo !== undefined && tfo < MIN_FAST_OPEN_SHARE * run.requests) {
    out.push({
      kind: "invalid",
      code: "tfo-unused",
      message: `Fast Open asked, but only ${tfo} of ${run.requests} requests' connections carried data on the SYN (TCPFastOpenActive; < ${pct(MIN_FAST_OPEN_SHARE)})`,
    });
  }
  const l = n.link;
  for (const [dir, d] of [
    ["to the server", l?.toServer],
    ["to the client", l?.toClient],
  ] as const) {
    if (!l || !d) continue;
    if (d.overflow > 0)
      out.push({
        kind: "invalid",
        code: "link-overflow",
        message: `the relay's queue overflowed ${dir}: ${d.overflow} packets dropped beyond the asked loss`,
      });
    if (d.lateMeanUs !== null && d.lateMeanUs > Math.max(LINK_LATE_FLOOR_US, LINK_LATE_SHARE * l.delayMs * 1000)) {
      out.push({
        kind: "noisy",
        code: "link-late",
        message: `the relay let packets ${dir} go ${us(d.lateMeanUs)} late on average (the link's delay is ${l.delayMs} ms): CPU contention made the link slower than asked`,
      });
    }
  }
  out.push(...lossMismatchReasons(n.link));
  return out;
}

/** The eBPF dropper drew each packet's fate: its drops over what it saw against the asked loss. */
function lossMismatchReasons(l: LinkRecord | null | undefined): VerdictReason[] {
  if (!l?.ebpf) return [];
  const p = l.lossPct / 100;
  const out: VerdictReason[] = [];
  for (const [dir, d] of [
    ["to the server", l.ebpf.toServer],
    ["to the client", l.ebpf.toClient],
  ] as const) {
    if (d.seen === 0) continue;
    const drawn = (100 * d.dropped) / d.seen;
    const spreadPct = 100 * LOSS_DRAW_SIGMAS * Math.sqrt((p * (1 - p)) / d.seen) + LOSS_SLACK_PCT;
    if (Math.abs(drawn - l.lossPct) > spreadPct)
      out.push({
        kind: "invalid",
        code: "loss-mismatch",
        message: `the eBPF dropper dropped ${drawn.toFixed(2)} % of ${d.seen} packets ${dir}, ${l.lossPct} % asked (a draw spreads by ${spreadPct.toFixed(2)} %)`,
      });
  }
  return out;
}

/** Retransmissions the kernel made on the port's connections (SYN ones are connects, not data). */
function kernelRetransmitReasons(run: NetworkRunView): VerdictReason[] {
  const k = run.kernel;
  if (k?.status !== "measured" || (run.network?.link?.lossPct ?? 0) > 0) return [];
  const data = k.tcp.retransmits - k.tcp.synRetransmits - k.tcp.synackRetransmits;
  if (data <= MAX_UNASKED_RETRANSMIT_SHARE * Math.max(1, run.requests)) return [];
  return [
    {
      kind: "noisy",
      code: "kernel-retransmits",
      message: `the kernel retransmitted ${data} data segments on the port's connections (no loss was asked; > ${pct(MAX_UNASKED_RETRANSMIT_SHARE)} of ${run.requests} requests): the tail waited on retransmission timers`,
    },
  ];
}
