// How much memory a run's cgroups may hold: the scenario's figure, or a share of what the
// machine has available now (MemAvailable), so the target and the generator together can never
// take the machine, and the runner, down.
import { readFileSync } from "node:fs";

/** The default shares of MemAvailable: the target's and the generator's groups together stay under 3/4. */
export const DEFAULT_SHARE = { target: 0.5, generator: 0.25 } as const;

/** MemAvailable from /proc/meminfo, bytes. */
export function availableBytes(meminfo: string = readFileSync("/proc/meminfo", "utf8")): number {
  const m = /^MemAvailable:\s+(\d+) kB/m.exec(meminfo);
  if (!m) throw new Error("/proc/meminfo has no MemAvailable line");
  return Number(m[1]) * 1024;
}

/** The limit for one side: the scenario's bytes when given, else its share of what is available. */
export function limitFor(
  side: keyof typeof DEFAULT_SHARE,
  scenarioBytes: number | undefined,
  available: number = availableBytes(),
): number {
  return scenarioBytes ?? Math.floor(available * DEFAULT_SHARE[side]);
}
