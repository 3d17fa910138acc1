// Starts verify-remote.js in the client's place (behind a command prefix) and reads its answer.
import { join } from "node:path";

import { DIST_DIR } from "../paths.js";
import type { TargetDef, TargetMode } from "../targets/registry.js";
import { PLAIN_WIRE, VERIFY_TIMEOUT_MS, type VerifyRequest, type Wire } from "../targets/verify.js";
import type { LinkSection } from "../model/index.js";
import { run } from "./ip.js";
import { placeArgv, type Placement } from "../proc/placement.js";

/** The most exchanges one verification makes (src/targets/verify.ts), for its overall deadline. */
const MAX_EXCHANGES = 8;

/**
 * One exchange's deadline over a link: a dropped SYN is sent again after 1 s, then 2 s, then 4 s
 * (the kernel's initial RTO, doubling), so a lossy link needs room for three drops in a row; a
 * delayed link, for its round trips.
 */
export function verifyTimeoutMs(link: LinkSection | null): number {
  if (!link) return VERIFY_TIMEOUT_MS;
  const roundTripMs = 2 * (link.delayMs + link.jitterMs);
  return (link.lossPct > 0 ? 1000 + 2000 + 4000 : 0) + VERIFY_TIMEOUT_MS + 4 * roundTripMs;
}

export async function verifyFrom(
  place: Placement,
  def: TargetDef,
  host: string,
  port: number,
  mode: TargetMode,
  request: VerifyRequest,
  timeoutMs = VERIFY_TIMEOUT_MS,
  wire: Wire = PLAIN_WIRE,
): Promise<string[]> {
  const script = join(DIST_DIR, "bin", "verify-remote.js");
  const ask = JSON.stringify({
    target: def.name,
    host,
    port,
    mode,
    request: { method: request.method, path: request.path, bodyBytes: request.bodyBytes },
    timeoutMs,
    wire: { protocol: wire.protocol, ca: wire.ca?.toString("base64") ?? null },
  });
  const [cmd, ...args] = placeArgv(place, [process.execPath, script, ask]);
  try {
    const out = await run(cmd!, args, MAX_EXCHANGES * timeoutMs + 10_000);
    const last = out.trim().split("\n").pop() ?? "";
    return JSON.parse(last) as string[];
  } catch (e) {
    return [`verification from the client's side failed: ${(e as Error).message}`];
  }
}
