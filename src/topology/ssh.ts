// The ssh topology: the target on a host the user names, the client on another (or here), both
// started with the system ssh (the user's own config and keys; EVBENCH_SSH_CONFIG names another
// config file, as `ssh -F`), with the same stdin/stdout channels as on one host. Before anything
// runs, each host must have the same evbench version installed (at the same path, or at
// hosts.remoteRoot); each host's environment is recorded, and its process is sampled in its /proc.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

import { BadInputError } from "../errors.js";
import { DIST_DIR, ROOT } from "../paths.js";
import type { TargetDef, TargetMode } from "../targets/registry.js";
import type { VerifyRequest } from "../targets/verify.js";
import { run } from "./ip.js";
import { placeArgv, type Placement } from "../proc/placement.js";
import type { HostRecord, NetworkRecord } from "../model/index.js";
import type { SamplerLike } from "../probe/sampler.js";
import { RemoteSampler } from "./remote-sampler-client.js";
import { multiHostGenerator, type ClientHostFigures } from "./multi-client.js";
import { verifyFrom } from "./remote-verify.js";
import type { HostsSection } from "../model/index.js";
import { counterDelta, parseProcNet, pickTcpCounters } from "./tcp-counters.js";
import type { NetworkSnapshot, Topology } from "./types.js";

interface HostInfo {
  version: string;
  root: string;
  env: Record<string, unknown>;
}

export function sshPlace(host: string, remoteRoot: string, mark?: string): Placement {
  const config = process.env["EVBENCH_SSH_CONFIG"];
  return {
    prefix: ["ssh", "-T", "-o", "BatchMode=yes", ...(config ? ["-F", config] : []), host],
    shell: true,
    rootMap: remoteRoot === ROOT ? null : [ROOT, remoteRoot],
    node: "node",
    mark,
  };
}

function localVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
}

/** Asks the host for its evbench version and environment; refuses a missing or different install. */
async function checkHost(host: string, remoteRoot: string): Promise<HostInfo> {
  const [cmd, ...args] = placeArgv(sshPlace(host, remoteRoot), [process.execPath, join(DIST_DIR, "bin", "remote-env.js")]);
  const fix = `install evbench ${localVersion()} there at ${remoteRoot} (git clone this repository, git checkout the same commit, npm ci), or set hosts.remoteRoot to where it is`;
  let out: string;
  try {
    out = await run(cmd!, args, 30_000);
  } catch (e) {
    throw new BadInputError(`ssh topology: cannot run evbench on ${host}: ${(e as Error).message.split("\n")[0]}; ${fix}`);
  }
  const info = JSON.parse(out.trim().split("\n").pop() ?? "{}") as HostInfo;
  if (info.version !== localVersion()) {
    throw new BadInputError(`ssh topology: ${host} has evbench ${info.version} at ${remoteRoot}, this is ${localVersion()}; ${fix}`);
  }
  return info;
}

/** The latest counters a host streamed, or this host's own (client here). */
function tcpOf(sampler: RemoteSampler | null): Record<string, number> {
  if (!sampler) return pickTcpCounters(parseProcNet(readFileSync("/proc/net/snmp", "utf8") + readFileSync("/proc/net/netstat", "utf8")));
  return sampler.lastTcp!;
}

/** One stream of kernel TCP counters per host for the whole scenario, started now (the client
 *  side's counters are the first client host's; none: the client runs here). */
async function counterStreams(serverHost: string, clientHost: string | undefined, remoteRoot: string) {
  const counters = {
    server: new RemoteSampler(sshPlace(serverHost, remoteRoot), ""),
    client: clientHost ? new RemoteSampler(sshPlace(clientHost, remoteRoot), "") : null,
  };
  for (const c of [counters.server, counters.client]) c?.start();
  for (const [name, c] of [
    [serverHost, counters.server],
    [clientHost, counters.client],
  ] as const) {
    if (c && !(await c.firstTcp(20_000))) throw new Error(`ssh topology: ${name} sent no TCP counters within 20 s`);
  }
  return counters;
}

export async function openSsh(hosts: HostsSection): Promise<Topology> {
  if (!hosts.serverHost) throw new BadInputError("the ssh topology needs the target's host: --server-host user@host (or hosts.serverHost)");
  const clients = hosts.clientHosts ?? [];
  const remoteRoot = hosts.remoteRoot ?? ROOT;
  const serverAddress = hosts.serverAddress ?? hosts.serverHost.replace(/^.*@/, "");
  const server = await checkHost(hosts.serverHost, remoteRoot);
  const clientInfo: HostInfo[] = [];
  for (const c of clients) clientInfo.push(await checkHost(c, remoteRoot));
  const id = randomBytes(4).toString("hex");
  const serverPlace = sshPlace(hosts.serverHost, remoteRoot, `${id}-server`);
  const clientPlaces = clients.map((c, i) => sshPlace(c, remoteRoot, `${id}-client-${i}`));
  const clientPlace = clientPlaces[0] ?? null;
  let perHost: ClientHostFigures[] | null = null;
  const samplers: Record<string, RemoteSampler> = {};
  const counters = await counterStreams(hosts.serverHost, clients[0], remoteRoot);
  const hostRecord = (role: "server" | "client", name: string, info: HostInfo | null, i = 0): HostRecord => {
    const w = samplers[role]?.lastWindow ?? null;
    const env = info?.env ?? {};
    const base = {
      role,
      host: name,
      hardwareId: String(env["hardwareId"] ?? ""),
      cpuModel: String(env["cpuModel"] ?? ""),
      cores: Number(env["cores"] ?? 0),
      kernel: String(env["kernel"] ?? ""),
    };
    const f = role === "client" ? perHost?.[i] : undefined;
    if (f) return { ...base, cpuPct: f.cpuPct, rssPeakBytes: null, requests: f.requests, share: f.share, rps: f.rps, p99Us: f.p99Us };
    return { ...base, cpuPct: w?.cpuPct ?? null, rssPeakBytes: w?.rssPeakBytes ?? null };
  };
  return {
    kind: "ssh",
    serverHost: serverAddress,
    serverPlace,
    clientPlace,
    verify: (def: TargetDef, port: number, mode: TargetMode, request: VerifyRequest) =>
      verifyFrom(clientPlace ?? { prefix: [], shell: false }, def, serverAddress, port, mode, request),
    setLink: async (link) => {
      if (link !== null) throw new Error("a link needs the netns topology");
    },
    sampler: (side: "server" | "client"): SamplerLike | null => {
      const place = side === "server" ? serverPlace : clientPlace;
      if (!place) return null;
      samplers[side]?.stop();
      samplers[side] = new RemoteSampler(place, place.mark!);
      return samplers[side];
    },
    generatorFor: (base) =>
      clients.length < 2
        ? base
        : multiHostGenerator(
            base,
            clients.map((host, i) => ({ host, place: clientPlaces[i]! })),
            (f) => (perHost = f),
          ),
    snapshot: async (): Promise<NetworkSnapshot> => ({
      link: null,
      tcp: { server: tcpOf(counters.server), client: tcpOf(counters.client) },
    }),
    network: (a, b): NetworkRecord | null => {
      if (!a || !b) return null;
      return {
        topology: "ssh",
        serverAddress,
        link: null,
        tcp: { server: counterDelta(a.tcp.server, b.tcp.server), client: counterDelta(a.tcp.client, b.tcp.client) },
        hosts: [
          hostRecord("server", hosts.serverHost!, server),
          ...(clients.length === 0
            ? [hostRecord("client", "(here)", null)]
            : clients.map((c, i) => hostRecord("client", c, clientInfo[i]!, i))),
        ],
      };
    },
    close: async () => {
      for (const s of [...Object.values(samplers), counters.server, counters.client]) s?.stop();
    },
  };
}
