// The sweep's search and knee as pure functions of the steps: a model server with a known
// capacity answers each offered rate, and the plan must bracket and bisect to its knee.
import { describe, expect, it } from "vitest";

import { bracket, nextStep, type StepView } from "../src/sweep/plan.js";
import { kneeOverReps, repKnee, saturationRps } from "../src/sweep/knee.js";
import { SWEEP_DEFAULTS, type SweepSettings } from "../src/sweep/settings.js";
import { parseSlo, type Slo } from "../src/model/index.js";
import type { SweepRep } from "../src/model/index.js";

const slo = (t: string) => parseSlo(t) as Slo;
const settings = (slos: Slo[]): SweepSettings => ({ ...SWEEP_DEFAULTS, slos });

/** A model: p99 rises with utilisation; above capacity the server cannot keep up. */
function model(capacity: number, clientMax = Infinity) {
  return (rps: number, s: SweepSettings, phase: StepView["phase"]): StepView => {
    const rho = rps / capacity;
    const p99 = rho < 1 ? 100 + 1000 * (rho / (1 - rho)) : 1e6;
    const saturated = rho > 1 / s.achievedShare;
    const clientBound = rps > clientMax;
    const meets = Object.fromEntries(s.slos.map((x) => [x.label, !saturated && p99 <= x.limitUs]));
    return { offeredRps: rps, phase, meets, clientBound, saturated, errorShare: 0 };
  };
}

function search(s: SweepSettings, answer: ReturnType<typeof model>): { steps: StepView[]; stop: string } {
  const steps: StepView[] = [];
  for (;;) {
    const n = nextStep(steps, s);
    if ("stop" in n) return { steps, stop: n.stop };
    steps.push(answer(Math.round(n.rps), s, n.phase));
  }
}

describe("SLO parsing", () => {
  it("reads percentiles and units, and names what is wrong", () => {
    expect(parseSlo("p99=10ms")).toEqual({ percentile: "p99", limitUs: 10_000, label: "p99<=10ms" });
    expect(parseSlo("p99.9<=500us")).toEqual({ percentile: "p999", limitUs: 500, label: "p999<=500us" });
    expect(parseSlo("max=1s")).toMatchObject({ percentile: "max", limitUs: 1_000_000 });
    expect(parseSlo("p98=1ms")).toMatch(/is not an SLO/);
    expect(parseSlo("p99=0ms")).toMatch(/above zero/);
  });
});

describe("the search", () => {
  it("brackets and bisects each SLO's knee to the resolution", () => {
    const slos = [slo("p99=10ms"), slo("p99=1ms")];
    const s = settings(slos);
    const { steps, stop } = search(s, model(10_000));
    // p99 <= 10 ms while rho/(1-rho) <= 9.9: rho <= 0.908; p99 <= 1 ms: rho <= 0.474
    const k10 = repKnee(steps, slos[0]!);
    const k1 = repKnee(steps, slos[1]!);
    expect(k10.bound).toBe("exact");
    expect(k10.rps!).toBeGreaterThan(9080 / 1.06);
    expect(k10.rps!).toBeLessThanOrEqual(9080);
    expect(k1.rps!).toBeGreaterThan(4740 / 1.06);
    expect(k1.rps!).toBeLessThanOrEqual(4740);
    for (const l of [slos[0]!.label, slos[1]!.label]) {
      const b = bracket(steps, l);
      expect(b.hi! / b.lo!).toBeLessThanOrEqual(1 + s.resolution);
    }
    expect(stop).toMatch(/every SLO broken|saturated/);
    expect(steps.length).toBeLessThanOrEqual(s.maxSteps);
  });

  it("steps down when the first rate meets nothing", () => {
    const s = { ...settings([slo("p99=10ms")]), startRps: 100_000 };
    const { steps } = search(s, model(10_000));
    expect(steps.some((x) => x.phase === "descent")).toBe(true);
    expect(repKnee(steps, s.slos[0]!).rps!).toBeGreaterThan(9080 / 1.06);
  });

  it("says 'at least' when the client saturates before the SLO breaks", () => {
    const s = settings([slo("p99=10ms")]);
    const { steps, stop } = search(s, model(1e6, 20_000));
    const k = repKnee(steps, s.slos[0]!);
    expect(k.bound).toBe("atLeast");
    expect(k.rps).toBe(32_000); // the client-bound step met it too: "at least that rate"
    expect(stop).toMatch(/client saturated/);
  });

  it("finds no knee when nothing meets the SLO, and the saturation rate when the server falls behind", () => {
    const s = settings([slo("p99=50us")]);
    const { steps } = search(s, model(10_000));
    expect(repKnee(steps, s.slos[0]!).bound).toBe("none");
    const t = search(settings([slo("p99=10ms")]), model(10_000));
    expect(saturationRps(t.steps)!).toBeGreaterThan(10_000 / 0.95);
  });
});

describe("the knee over repetitions", () => {
  it("is the median with an interval, and 'none' only when no repetition met it", () => {
    const s = slo("p99=10ms");
    const rep = (i: number, rps: number | null): SweepRep => ({
      rep: i,
      startedAt: "",
      steps: [],
      stoppedBy: "",
      failure: null,
      saturationRps: null,
      knees: [{ slo: s.label, rps, bound: rps === null ? "none" : "exact", firstFailRps: null }],
    });
    const k = kneeOverReps([rep(0, 9000), rep(1, 9500), rep(2, 8800)], s);
    expect(k.rps).toMatchObject({ median: 9000, lo: 8800, hi: 9500, n: 3 });
    expect(k.bound).toBe("exact");
    const n = kneeOverReps([rep(0, null)], s);
    expect(n.bound).toBe("none");
  });
});

describe("the search for a tight SLO", () => {
  it("steps down for an SLO the first rate did not meet even when a looser one was met", () => {
    const s = { ...settings([slo("p99=10ms"), slo("p99=150us")]), startRps: 4000 };
    // p99 <= 150 us while rho/(1-rho) <= 0.05: rho <= 0.0476, 476 req/s at capacity 10,000
    const { steps } = search(s, model(10_000));
    expect(steps.filter((x) => x.phase === "descent").length).toBeGreaterThan(0);
    const k = repKnee(steps, s.slos[1]!);
    expect(k.bound).toBe("exact");
    expect(k.rps!).toBeLessThanOrEqual(476);
    expect(k.rps!).toBeGreaterThan(476 / 1.06);
  });
});

describe("a noisy curve", () => {
  it("keeps the knee above a break below it, and the verdict says the curve was not monotonic", () => {
    const s = settings([slo("p99=10ms")]);
    const step = (rps: number, met: boolean): StepView => ({
      offeredRps: rps,
      phase: "ascent",
      meets: { "p99<=10ms": met },
      clientBound: false,
      saturated: false,
      errorShare: 0,
    });
    const steps = [step(4000, true), step(8000, true), step(16000, true), step(32000, false), step(1000, false)];
    expect(repKnee(steps, s.slos[0]!)).toMatchObject({ rps: 16000, bound: "exact", firstFailRps: 32000 });
    expect(bracket(steps, "p99<=10ms")).toEqual({ lo: 16000, hi: 32000 });
  });
});
