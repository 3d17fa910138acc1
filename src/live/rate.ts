// Requests per second over the last second, from cumulative counts sampled at any pace.
export class RateMeter {
  private samples: { t: number; n: number }[] = [];

  /** Adds a cumulative count at time t (seconds) and returns the rate over the last ~second;
   *  null for the first sample, which has no time span (a 0 would read as "nothing answered"). */
  add(t: number, n: number): number | null {
    this.samples.push({ t, n });
    while (this.samples.length > 2 && t - this.samples[1]!.t >= 1) this.samples.shift();
    const first = this.samples[0]!;
    const dt = t - first.t;
    return dt > 0 ? (n - first.n) / dt : null;
  }

  reset(): void {
    this.samples = [];
  }
}
