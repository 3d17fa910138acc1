// Parses a target's answer to `stats` (docs/architecture.md, "Control channel").
import { z } from "zod";

import { TargetError } from "./errors.js";

const count = z.number().nonnegative().nullable();

export const TargetStatsSchema = z.object({
  runtime: z.string(),
  gcCycles: z.number().nonnegative(),
  gcPauseNs: z.number().nonnegative(),
  allocBytes: count,
  allocObjects: count,
  heapBytes: count,
  requests: count,
  versions: z.record(z.string(), z.string()).default({}),
  extra: z.record(z.string(), z.unknown()).default({}),
});
export type TargetStats = z.infer<typeof TargetStatsSchema>;

export function parseStats(line: string, target: string): TargetStats {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new TargetError(`${target} answered "stats" with a line that is not JSON: ${line.slice(0, 200)}`);
  }
  const r = TargetStatsSchema.safeParse(raw);
  if (!r.success) {
    const why = r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new TargetError(`${target} answered "stats" with fields that break the contract: ${why}`);
  }
  return r.data;
}
