// Runs a client process that speaks src/load/client-protocol.ts (the Node-hosted generators):
// pinned with taskset when asked, in its own process group, its spec sent on its stdin
// (src/load/spec-pipe.ts), its messages relayed to the hooks.
import { describeExit, spawnGroup } from "../proc/spawn.js";
import { deserializeResult, parseClientLine, type SerializedLoadResult } from "./client-protocol.js";
import { sendSpec } from "./spec-pipe.js";
import { interrupted, type LoadResult, type LoadSpec, type RunHooks } from "./types.js";

export async function runProtocolClient(
  label: string,
  script: string,
  spec: LoadSpec,
  hooks: RunHooks & { onClientPid?: (pid: number) => void },
): Promise<LoadResult> {
  const p = spawnGroup({ cmd: process.execPath, args: [script], cpus: spec.cpus, signal: hooks.signal, place: spec.place });
  sendSpec(p.child.stdin, spec);
  hooks.onClientPid?.(p.pid);
  let result: SerializedLoadResult | null = null;
  let error: string | null = null;
  let measureEnded = false;
  p.onLine((line) => {
    const m = parseClientLine(line);
    if (!m) return;
    switch (m.type) {
      case "progress":
        hooks.onProgress?.(m);
        break;
      case "measure-start":
        hooks.onMeasureStart?.();
        break;
      case "measure-end":
        measureEnded = true;
        hooks.onMeasureEnd?.();
        break;
      case "result":
        result = m.result;
        break;
      case "error":
        error = m.message;
        break;
    }
  });
  const exit = await p.exited;
  if (hooks.signal?.aborted) throw interrupted(label);
  if (error) throw new Error(`${label} client failed: ${error}`);
  if (!result) {
    const tail = p.stderrTail();
    throw new Error(`${label} client ${describeExit(exit)} without a result${tail ? `; its stderr:\n${tail}` : ""}`);
  }
  if (!measureEnded) hooks.onMeasureEnd?.();
  return deserializeResult(result);
}
