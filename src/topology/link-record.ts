// The run's link block: the link's settings and, for the relay, its counters over the window.
// The relay's direction a->b is server -> client (the server's namespace is its side a).
import type { RelayCounters, RelayDirection } from "./link-relay.js";
import type { LinkDirection, LinkRecord } from "../model/index.js";
import type { LinkSection } from "../model/index.js";

function direction(a: RelayDirection, b: RelayDirection): LinkDirection {
  const forwarded = b.forwarded - a.forwarded;
  return {
    received: b.received - a.received,
    forwarded,
    dropped: b.dropped - a.dropped,
    overflow: b.overflow - a.overflow,
    writeErrors: b.writeErrors - a.writeErrors,
    bytes: b.bytes - a.bytes,
    lateMeanUs: forwarded > 0 ? (b.lateNsSum - a.lateNsSum) / forwarded / 1000 : null,
    lateMaxUs: b.lateNsMax / 1000,
  };
}

export function linkRecord(engine: LinkRecord["engine"], l: LinkSection, a: RelayCounters | null, b: RelayCounters | null): LinkRecord {
  const counted = a !== null && b !== null;
  return {
    engine,
    delayMs: l.delayMs,
    jitterMs: l.jitterMs,
    lossPct: l.lossPct,
    rateMbit: l.rateMbit,
    seed: l.seed,
    toClient: counted ? direction(a.aToB, b.aToB) : null,
    toServer: counted ? direction(a.bToA, b.bToA) : null,
  };
}
