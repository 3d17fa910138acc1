// What a run's network record says about the run's validity, in the shape of the verdict's
// reasons (src/results/schema.ts VerdictReason), so the verdict can take them as they are:
// - invalid "tfo-unused": Fast Open asked, but fewer than 90 % of the requests' connections
//   carried data on the SYN (the row would measure ordinary connections);
// - invalid "link-overflow": the relay's queue overflowed (loss beyond the asked loss);
// - noisy "link-late": the relay let packets go late on average by more than 10 % of the delay
//   (and 100 us): CPU contention made the link slower than asked.
import type { NetworkRecord } from "./record.js";

export interface NetworkReason {
  kind: "invalid" | "noisy";
  code: "tfo-unused" | "link-overflow" | "link-late";
  message: string;
}

export interface NetworkRunView {
  requests: number;
  load: { fastOpen: boolean; keepAlive: boolean };
  network?: NetworkRecord;
}

function us(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(2)} ms` : `${v.toFixed(0)} us`;
}

export function networkReasons(run: NetworkRunView): NetworkReason[] {
  const n = run.network;
  if (!n) return [];
  const out: NetworkReason[] = [];
  const tfo = n.tcp.client["TCPFastOpenActive"];
  if (run.load.fastOpen && !run.load.keepAlive && tfo !== undefined && tfo < 0.9 * run.requests) {
    out.push({ kind: "invalid", code: "tfo-unused", message: `Fast Open asked, but only ${tfo} of ${run.requests} requests' connections carried data on the SYN (TCPFastOpenActive)` });
  }
  const l = n.link;
  for (const [dir, d] of [["to the server", l?.toServer], ["to the client", l?.toClient]] as const) {
    if (!l || !d) continue;
    if (d.overflow > 0) out.push({ kind: "invalid", code: "link-overflow", message: `the relay's queue overflowed ${dir}: ${d.overflow} packets dropped beyond the asked loss` });
    if (d.lateMeanUs !== null && d.lateMeanUs > Math.max(100, 0.1 * l.delayMs * 1000)) {
      out.push({ kind: "noisy", code: "link-late", message: `the relay let packets ${dir} go ${us(d.lateMeanUs)} late on average (the link's delay is ${l.delayMs} ms): CPU contention made the link slower than asked` });
    }
  }
  return out;
}
