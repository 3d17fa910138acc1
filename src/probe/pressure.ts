// CPU pressure (Linux PSI, /proc/pressure/cpu): the time some runnable task waited for a CPU.
// Over a step's window it says whether the machine was contended while latency was measured,
// which no latency figure can tell by itself.
import { readFileSync } from "node:fs";

/** Cumulative microseconds during which some task waited for a CPU; null where PSI is absent. */
export function cpuPressureUs(): number | null {
  try {
    const m = /^some .*total=(\d+)/m.exec(readFileSync("/proc/pressure/cpu", "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Share of the window (in %) during which some task waited for a CPU. */
export function pressurePct(startUs: number | null, endUs: number | null, wallS: number): number | null {
  if (startUs === null || endUs === null || !(wallS > 0)) return null;
  return Math.min(100, Math.max(0, (endUs - startUs) / (wallS * 1e4)));
}
