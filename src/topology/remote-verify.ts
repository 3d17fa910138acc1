// Starts verify-remote.js in the client's place (behind a command prefix) and reads its answer.
import { join } from "node:path";

import { DIST_DIR } from "../paths.js";
import type { TargetDef, TargetMode } from "../targets/registry.js";
import type { VerifyRequest } from "../targets/verify.js";
import { run } from "./ip.js";
import { placeArgv, type Placement } from "./placement.js";

export async function verifyFrom(
  place: Placement,
  def: TargetDef,
  host: string,
  port: number,
  mode: TargetMode,
  request: VerifyRequest,
): Promise<string[]> {
  const script = join(DIST_DIR, "topology", "verify-remote.js");
  const ask = JSON.stringify({ target: def.name, host, port, mode, request: { method: request.method, path: request.path, bodyBytes: request.bodyBytes } });
  const [cmd, ...args] = placeArgv(place, [process.execPath, script, ask]);
  try {
    const out = await run(cmd!, args, 30_000);
    const last = out.trim().split("\n").pop() ?? "";
    return JSON.parse(last) as string[];
  } catch (e) {
    return [`verification from the client's side failed: ${(e as Error).message}`];
  }
}
