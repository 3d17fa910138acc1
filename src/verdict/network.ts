// What a run's network record says about the run's validity, in the shape of the verdict's
// reasons (src/model/verdict.ts VerdictReason), so the verdict can take them as they are:
// - invalid "tfo-unused": Fast Open asked, but fewer than 90 % of the requests' connections
//   carried data on the SYN (the row would measure ordinary connections);
// - invalid "link-overflow": the relay's queue overflowed (loss beyond the asked loss);
// - noisy "link-late": the relay let packets go late on average by more than 10 % of the delay
//   (and 100 us): CPU contention made the link slower than asked.
import type { NetworkRecord, VerdictReason } from "../model/index.js";
import { pct } from "./combine.js";
import { LINK_LATE_FLOOR_US, LINK_LATE_SHARE, MIN_FAST_OPEN_SHARE } from "./thresholds.js";

export interface NetworkRunView {
  requests: number;
  load: { fastOpen: boolean; keepAlive: boolean };
  network?: NetworkRecord;
}

function us(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(2)} ms` : `${v.toFixed(0)} us`;
}

export function networkReasons(run: NetworkRunView): VerdictReason[] {
  const n = run.network;
  if (!n) return [];
  const out: VerdictReason[] = [];
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
  return out;
}
