// The generator process's own resident memory, before a load and after it, per connection held:
// the native generator keeps every connection's state until the run returns, so the difference
// is what the connections cost in user space (kernel socket memory is not in the RSS).
import { readFileSync } from "node:fs";

import type { GeneratorMemory } from "./types.js";

/** This process's resident set in bytes (VmRSS of /proc/self/status, in kB: no page size to
 *  ask getconf for, which would slow the client's start); null where there is no /proc. */
export function selfRssBytes(): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "latin1"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export function generatorMemory(before: number | null, after: number | null, connections: number): GeneratorMemory | null {
  if (before === null || after === null || connections <= 0) return null;
  return { rssBeforeBytes: before, rssAfterBytes: after, connections, perConnectionBytes: Math.max(0, after - before) / connections };
}
