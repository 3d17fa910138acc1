// A sweep's verdict from its steps: invalid (errors at the lowest rate, nothing met), clientBound
// (a knee that is only a lower bound), noisy (a shared machine, a non-monotonic curve).
import { describe, expect, it } from "vitest";

import type { SweepRep, SweepStep } from "../src/model/index.js";
import { kneeOverReps, repKnee } from "../src/sweep/knee.js";
import { SWEEP_DEFAULTS } from "../src/sweep/settings.js";
import { parseSlo, type Slo } from "../src/model/index.js";
import { sweepVerdict } from "../src/sweep/verdict.js";

const slo = parseSlo("p99=10ms") as Slo;
const s = { ...SWEEP_DEFAULTS, slos: [slo] };

function step(rps: number, o: Partial<SweepStep> & { met: boolean }): SweepStep {
  const zero = { connect: 0, reset: 0, timeout: 0, badResponse: 0, status: 0, tls: 0, goaway: 0, rstStream: 0 };
  return {
    index: 0,
    phase: "ascent",
    offeredRps: rps,
    achievedRps: rps,
    requests: rps,
    durationS: 1,
    latencyUs: { p50: 100, p90: 200, p99: o.met ? 1000 : 50_000, p999: 0, max: 0, mean: 0 },
    latencyHdr: "x",
    errors: zero,
    statusClasses: {},
    errorShare: 0,
    serverCpuPct: 10,
    clientCpuPct: 10,
    cpuPressurePct: 0,
    cpuNoise: null,
    clientBound: false,
    saturated: false,
    meets: { [slo.label]: o.met },
    ...o,
  };
}

function verdictOf(steps: SweepStep[]) {
  const rep: SweepRep = { rep: 0, startedAt: "", steps, stoppedBy: "", failure: null, knees: [repKnee(steps, slo)], saturationRps: null };
  return sweepVerdict([rep], [kneeOverReps([rep], slo)], s);
}

describe("the sweep verdict", () => {
  it("is valid for a clean curve", () => {
    expect(verdictOf([step(1000, { met: true }), step(2000, { met: false })])).toEqual({ verdict: "valid", reasons: [] });
  });
  it("is invalid when errors appear at the lowest rate or nothing met the SLO", () => {
    const v = verdictOf([step(1000, { met: false, errorShare: 0.5 }), step(250, { met: false, errorShare: 0.5 })]);
    expect(v.verdict).toBe("invalid");
    expect(v.reasons.map((r) => r.code)).toEqual(["errors", "no-knee"]);
  });
  it("is clientBound when the knee is only a lower bound because the client saturated", () => {
    const v = verdictOf([step(1000, { met: true }), step(2000, { met: true, clientBound: true, clientCpuPct: 99 })]);
    expect(v.verdict).toBe("clientBound");
    expect(v.reasons[0]!.message).toMatch(/client CPU 99 %/);
  });
  it("is noisy when other processes shared the CPUs or when the curve breaks below the knee", () => {
    const busy = (foreignPct: number) => ({ cpus: [0, 1], stealPct: 0, foreignPct });
    const shared = verdictOf([
      step(1000, { met: true, cpuNoise: busy(30) }),
      step(2000, { met: false, cpuNoise: busy(25) }),
      step(1500, { met: true, cpuNoise: busy(2) }),
    ]);
    expect(shared.reasons.map((r) => r.code)).toEqual(["foreign-cpu"]);
    expect(shared.reasons[0]!.message).toMatch(/other processes used 25\.0 % of CPUs 0,1 > 10 % \(median over the steps\)/);
    // PSI counts the run's own threads waiting: a high figure alone judges nothing
    expect(
      verdictOf([
        step(1000, { met: true, cpuPressurePct: 60, cpuNoise: busy(1) }),
        step(2000, { met: false, cpuPressurePct: 60, cpuNoise: busy(1) }),
      ]).verdict,
    ).toBe("valid");
    const v = verdictOf([step(1000, { met: true }), step(2000, { met: false }), step(250, { met: false })]);
    expect(v.verdict).toBe("noisy");
    expect(v.reasons[0]).toMatchObject({ code: "non-monotonic" });
    expect(v.reasons[0]!.message).toMatch(/broke p99<=10ms at 250 req\/s/);
  });
});
