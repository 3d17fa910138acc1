// A brand for ascending, finite samples: the order-statistic functions need sorted input, and the
// brand makes it impossible to hand them unsorted data by accident.
declare const sortedBrand: unique symbol;
export type SortedSamples = readonly number[] & { readonly [sortedBrand]: true };

/** Copies, drops non-finite values (a missing metric is not a sample) and sorts ascending. */
export function sortSamples(values: readonly number[]): SortedSamples {
  const out = values.filter((v) => Number.isFinite(v));
  out.sort((a, b) => a - b);
  return out as unknown as SortedSamples;
}

/** The k-th order statistic, 1-based as in the textbooks (x(1) is the minimum). */
export function orderStat(sorted: SortedSamples, k: number): number {
  const v = sorted[k - 1];
  if (v === undefined) throw new RangeError(`order statistic ${k} of ${sorted.length} samples`);
  return v;
}
