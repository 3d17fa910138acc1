// `load`'s connection-scaling and arrival flags (--active, --arrival, --seed, --connect-rate,
// --source-addresses, --connections-per-process) into the native generator's spec fields, each checked against the others
// and against what the installed addon can do.
import type { Arrival } from "../model/index.js";
import { BadInputError } from "../errors.js";
import { processesFor, refuseExactCount } from "../load/native-split.js";
import { sourceAddressesFor } from "../load/source-addresses.js";
import type { GeneratorName } from "../load/types.js";

export interface ScalingFlags {
  active: number | undefined;
  arrival: Arrival;
  seed: number;
  connectRate: number | undefined;
  sourceAddresses: string[] | undefined;
  connectionsPerProcess: number | undefined;
}

export interface ScalingExtras {
  active?: number;
  arrival?: Arrival;
  seed?: number;
  connectRate?: number;
  sourceAddresses?: string[];
  connectionsPerProcess?: number;
}

interface Target {
  generator: GeneratorName;
  host: string;
  port: number;
  connections: number;
  rate: number | undefined;
  keepAlive: boolean;
  requests: number | undefined;
}

type Need = (g: GeneratorName, feature: string, flag: string) => void;

export function scalingExtras(f: ScalingFlags, t: Target, need: Need): ScalingExtras {
  const out: ScalingExtras = {};
  if (f.active !== undefined) {
    need(t.generator, "active", "--active");
    if (f.active > t.connections)
      throw new BadInputError(`--active ${f.active}: more than the ${t.connections} connections held (-c); give at most -c`);
    out.active = f.active;
  }
  if (f.arrival === "poisson") {
    need(t.generator, "arrival", "--arrival poisson");
    if (t.rate === undefined) throw new BadInputError("--arrival poisson sets when open-loop requests are sent; add -R <req/s>");
    out.arrival = "poisson";
    out.seed = f.seed;
  }
  if (f.connectRate !== undefined) {
    need(t.generator, "connectRate", "--connect-rate");
    if (!t.keepAlive) throw new BadInputError("--connect-rate paces the opening of keep-alive connections; drop --no-keepalive");
    out.connectRate = f.connectRate;
  }
  const given = f.sourceAddresses;
  if (given !== undefined) need(t.generator, "sourceAddresses", "--source-addresses");
  // Checked now (exit 2 before any load), and chosen again the same way by the native generator.
  const sources = t.generator === "native" ? sourceAddressesFor(t.host, t.port, t.connections, given) : undefined;
  if (sources !== undefined && given === undefined)
    need(t.generator, "sourceAddresses", `-c ${t.connections} (past one source address's ports)`);
  if (given !== undefined) out.sourceAddresses = given;
  if (f.connectionsPerProcess !== undefined) {
    if (t.generator !== "native")
      throw new BadInputError(`--connections-per-process needs the native generator; drop --generator ${t.generator}`);
    out.connectionsPerProcess = f.connectionsPerProcess;
  }
  // Refused now (exit 2) rather than by the client process: an exact count needs one process.
  if (t.generator === "native") refuseExactCount(t.requests, t.connections, processesFor({ connections: t.connections, ...out }));
  return out;
}
