// The cost model: ordinary least squares of a per-connection (or per-request) cost against the
// connection count over the measured levels, with 95 % t intervals for intercept and slope, and
// its value at counts no run reached, always labelled projected.
import type { LinearFit, Projection } from "../model/index.js";
import { studentTQuantile } from "./student-t.js";

export interface Point {
  x: number;
  y: number;
}

interface Sums {
  n: number;
  meanX: number;
  meanY: number;
  sxx: number;
  sxy: number;
  syy: number;
}

function sums(points: readonly Point[]): Sums {
  const n = points.length;
  const meanX = points.reduce((s, p) => s + p.x, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.y - meanY);
    syy += (p.y - meanY) ** 2;
  }
  return { n, meanX, meanY, sxx, sxy, syy };
}

/** The fit, or null when the points cannot give a line (fewer than 2, or all at one x). */
export function fitLine(points: readonly Point[]): LinearFit | null {
  if (points.length < 2) return null;
  const s = sums(points);
  if (s.sxx === 0) return null;
  const slope = s.sxy / s.sxx;
  const intercept = s.meanY - slope * s.meanX;
  const residual = Math.max(0, s.syy - slope * s.sxy);
  const r2 = s.syy === 0 ? null : 1 - residual / s.syy;
  if (s.n < 3) return { n: s.n, intercept, slope, interceptCi: null, slopeCi: null, r2 };
  const sigma = Math.sqrt(residual / (s.n - 2));
  const t = studentTQuantile(0.975, s.n - 2);
  const seSlope = sigma / Math.sqrt(s.sxx);
  const seIntercept = sigma * Math.sqrt(1 / s.n + (s.meanX * s.meanX) / s.sxx);
  return {
    n: s.n,
    intercept,
    slope,
    interceptCi: [intercept - t * seIntercept, intercept + t * seIntercept],
    slopeCi: [slope - t * seSlope, slope + t * seSlope],
    r2,
  };
}

/** The fitted mean at x with its 95 % interval; `points` are the ones the fit was made from. */
export function project(fit: LinearFit, points: readonly Point[], x: number): Projection {
  const value = fit.intercept + fit.slope * x;
  if (fit.n < 3) return { connections: x, value, ci: null };
  const s = sums(points);
  const residual = Math.max(0, s.syy - fit.slope * s.sxy);
  const sigma = Math.sqrt(residual / (s.n - 2));
  const se = sigma * Math.sqrt(1 / s.n + (x - s.meanX) ** 2 / s.sxx);
  const t = studentTQuantile(0.975, s.n - 2);
  return { connections: x, value, ci: [value - t * se, value + t * se] };
}
