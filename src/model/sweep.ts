// The `sweep` section of a scenario file: the SLOs, the connection counts to sweep at, and the
// search's settings (each optional; src/sweep/settings.ts has the defaults).
import { z } from "zod";

import { parseSlo } from "./slo.js";

const posInt = z.number().int().positive();

export const SweepSection = z.strictObject({
  /** e.g. ["p99<=1ms", "p99<=10ms"]: a knee is found for each. */
  slo: z
    .array(z.string())
    .min(1)
    .superRefine((list, ctx) =>
      list.forEach((t, i) => {
        const r = parseSlo(t);
        if (typeof r === "string") ctx.addIssue({ code: "custom", message: r, path: [i] });
      }),
    ),
  /** Connection counts to sweep at (each is its own sweep); default: the scenario's load.connections. */
  connections: z.array(posInt).min(1).optional(),
  startRps: z.number().positive().optional(),
  factor: z.number().gt(1).optional(),
  maxRps: z.number().positive().optional(),
  resolution: z.number().positive().optional(),
  maxSteps: posInt.optional(),
  warmupS: z.number().nonnegative().optional(),
  stepS: z.number().positive().optional(),
});
export type SweepSection = z.infer<typeof SweepSection>;
