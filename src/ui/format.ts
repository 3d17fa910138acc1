// Number formatting for the terminal: short, fixed precision, units that match the size.
import type { Interval } from "../results/schema.js";

export function fmtCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}K`;
  if (n >= 100) return n.toFixed(0);
  return n.toFixed(n >= 10 ? 1 : 2);
}

export function fmtUs(us: number): string {
  if (us >= 1e6) return `${(us / 1e6).toFixed(2)}s`;
  if (us >= 1e3) return `${(us / 1e3).toFixed(2)}ms`;
  return `${us.toFixed(0)}us`;
}

export function fmtBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)}GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)}MiB`;
  if (b >= 2 ** 10) return `${(b / 2 ** 10).toFixed(1)}KiB`;
  return `${b.toFixed(0)}B`;
}

/** "123.4K [120.1K..125.0K]" for an interval; "-" for none. */
export function fmtInterval(i: Interval | null, f: (n: number) => string, withRange = true): string {
  if (!i) return "-";
  if (!withRange || i.n < 2) return f(i.median);
  return `${f(i.median)} [${f(i.lo)}..${f(i.hi)}]`;
}

export function fmtPct(p: number): string {
  return `${p.toFixed(0)}%`;
}
