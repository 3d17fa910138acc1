// Number formatting shared by compare and report: one place decides how a value of each unit is
// printed, so a table and a chart never disagree. Formatting only; no statistics.

export type FormatUnit = "req/s" | "us" | "bytes" | "1/s" | "B/req" | "req/CPU-s" | "%" | "x";

/** Three significant digits, with k/M/G for large counts (as benchstat and wrk print them). */
export function si(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${sig(v / 1e9)}G`;
  if (a >= 1e6) return `${sig(v / 1e6)}M`;
  if (a >= 1e3) return `${sig(v / 1e3)}k`;
  return sig(v);
}

function sig(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return v.toFixed(digits);
}

/** Decimal units (kB, MB, GB), as sources such as the handbook write "12.3 MB", so a claimed and
 *  a measured figure read the same way. */
export function bytes(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${sig(v / 1e9)} GB`;
  if (a >= 1e6) return `${sig(v / 1e6)} MB`;
  if (a >= 1e3) return `${sig(v / 1e3)} kB`;
  return `${sig(v)} B`;
}

export function micros(v: number): string {
  if (Math.abs(v) >= 1e6) return `${sig(v / 1e6)} s`;
  if (Math.abs(v) >= 1e3) return `${sig(v / 1e3)} ms`;
  return `${sig(v)} us`;
}

export function formatValue(v: number, unit: FormatUnit): string {
  switch (unit) {
    case "req/s":
    case "req/CPU-s":
      return si(v);
    case "us":
      return micros(v);
    case "bytes":
    case "B/req":
      return bytes(v);
    case "1/s":
      return sig(v);
    case "%":
      return `${sig(v)} %`;
    case "x":
      return ratio(v);
  }
}

export function pct(v: number): string {
  // An unbounded bootstrap end (a resample with a zero old median) prints as such.
  if (!Number.isFinite(v)) return v > 0 ? "+inf%" : "-inf%";
  const s = Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  return v > 0 ? `+${s}%` : `${s}%`;
}

export function ratio(v: number): string {
  return `${v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2)}x`;
}

export function shortCommit(c: string | null): string {
  return c === null ? "(no commit)" : c.slice(0, 12);
}
