// Starts a registered target over one protocol with this run's certificate (test helper).
import { readFileSync } from "node:fs";

import { isTls, type Protocol } from "../../src/model/index.js";
import { startTarget, type RunningTarget } from "../../src/targets/process.js";
import type { TargetDef } from "../../src/targets/registry.js";
import type { Wire } from "../../src/targets/verify.js";
import type { TlsFiles } from "../../src/tls/certs.js";
import { protocolArgs } from "../../src/tls/target-args.js";

export const HOST = "127.0.0.1";

export async function startOver(def: TargetDef, protocol: Protocol, certs: TlsFiles, threads = 1): Promise<RunningTarget> {
  const args = protocolArgs(protocol, certs);
  return startTarget(def, { host: HOST, port: 0, threads, mode: "http", env: {}, args, cpus: null, readyTimeoutMs: 15_000 });
}

export function wireOf(protocol: Protocol, certs: TlsFiles): Wire {
  return { protocol, ca: isTls(protocol) && certs.ca ? readFileSync(certs.ca) : null };
}
