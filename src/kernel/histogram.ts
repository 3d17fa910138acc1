// The loader's histograms are (value, count) pairs of log-linear buckets in nanoseconds (each
// value is its bucket's middle, at most 1/32 from any value in it); they are recorded here into
// hdr-histogram-js so that percentiles mean what they mean everywhere else in the harness.
import hdr from "hdr-histogram-js";
import type { KernelLatency } from "../model/index.js";

export type Buckets = ReadonlyArray<readonly [number, number]>;

export function histogramOf(buckets: Buckets): hdr.Histogram {
  const h = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000_000,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 64,
    useWebAssembly: false,
    autoResize: true,
  });
  for (const [valueNs, n] of buckets) h.recordValueWithCount(valueNs, n);
  return h;
}

/** p50, p99 and max in microseconds. */
export function latencyOf(h: hdr.Histogram): KernelLatency {
  const empty = h.totalCount === 0;
  return {
    samples: h.totalCount,
    p50Us: empty ? 0 : h.getValueAtPercentile(50) / 1000,
    p99Us: empty ? 0 : h.getValueAtPercentile(99) / 1000,
    maxUs: empty ? 0 : h.maxValue / 1000,
  };
}

export function encode(h: hdr.Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}
