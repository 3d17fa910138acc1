// One native load over several generator processes, when it asks for more connections than one
// process may hold (its open-file limit, or connectionsPerProcess): the connections split as
// evenly as integers allow, the active ones and the rate with them (each process gets the rate
// of the active connections it holds), the connect rate by connections held, the source addresses rotated so that global connection i
// still binds to address i mod n, each process its own arrival seed.
import { BadInputError } from "../errors.js";
import { connectionsPerProcessLimit } from "./descriptors.js";
import type { NativeSpecExtras } from "./native-addon.js";
import type { LoadSpec } from "./types.js";

export type NativeSpec = LoadSpec & NativeSpecExtras;

/** n split as evenly as integers allow, the remainder to the first parts. */
export function splitEvenly(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0));
}

/** How many processes the spec needs. */
export function processesFor(
  spec: Pick<NativeSpec, "connections" | "connectionsPerProcess">,
  limit = connectionsPerProcessLimit(),
): number {
  const perProcess = Math.min(limit, spec.connectionsPerProcess ?? Number.MAX_SAFE_INTEGER);
  return Math.ceil(spec.connections / perProcess);
}

/** Active connections among ids [first, first + count) when `active` of `total` are spread
 *  evenly (native/core/load_thread.cc: id is active iff floor((id+1)A/N) > floor(id A/N)). */
export function activeIn(first: number, count: number, active: number, total: number): number {
  return Math.floor(((first + count) * active) / total) - Math.floor((first * active) / total);
}

const SEED_STRIDE = 1_000_003;

/** An exact request budget (-n) is one process's: refused when the load needs several. */
export function refuseExactCount(requests: number | undefined, connections: number, processes: number): void {
  if (requests === undefined || processes <= 1) return;
  throw new BadInputError(
    `-n ${requests}: an exact request count needs one generator process, and ${connections} connections need ${processes}; drop -n (use -d) or lower -c`,
  );
}

export function splitSpec(spec: NativeSpec, processes: number): NativeSpec[] {
  if (processes <= 1) return [spec];
  refuseExactCount(spec.requests, spec.connections, processes);
  const conns = splitEvenly(spec.connections, processes);
  const threads = splitEvenly(Math.max(spec.threads, processes), processes);
  const active = spec.active ?? spec.connections;
  const sources = spec.sourceAddresses;
  let first = 0;
  return conns.map((count, p) => {
    const mine = activeIn(first, count, active, spec.connections);
    const rotated = sources === undefined ? undefined : sources.map((_, i) => sources[(first + i) % sources.length]!);
    const part: NativeSpec = {
      ...spec,
      connections: count,
      threads: Math.min(threads[p]!, count),
      rate: spec.rate === null || mine === 0 ? null : (spec.rate * mine) / active,
      active: mine,
      ...(spec.connectRate !== undefined ? { connectRate: (spec.connectRate * count) / spec.connections } : {}),
      seed: (spec.seed ?? 1) + p * SEED_STRIDE,
      ...(rotated !== undefined ? { sourceAddresses: rotated } : {}),
    };
    delete part.connectionsPerProcess;
    first += count;
    return part;
  });
}
