// The verdict rules as pure functions: each threshold on both of its sides, the order of the
// verdicts, client saturation judged from both sides, noise, and the spread of repetitions.
import { describe, expect, it } from "vitest";

import { emptyErrors } from "../src/load/types.js";
import type { RunOk } from "../src/model/index.js";
import {
  coefficientOfVariation,
  loadVerdict,
  repetitionsNeeded,
  requestReasons,
  rowVerdict,
  runVerdict,
  saturationReasons,
  type RunFacts,
} from "../src/verdict/index.js";

const healthy: RunFacts = {
  requests: 10_000,
  errors: emptyErrors(),
  statusClasses: { "2xx": 10_000 },
  rps: 5000,
  rate: null,
  sent: 10_000,
  unfinished: 0,
  clientCpuPct: 50,
  clientAllotmentPct: 100,
  serverCpuPct: 60,
  serverAllotmentPct: 100,
  cpuNoise: { cpus: [0, 1], stealPct: 0, foreignPct: 1 },
};

const codes = (f: Partial<RunFacts>) => runVerdict({ ...healthy, ...f }).reasons.map((r) => r.code);

describe("invalid", () => {
  it("errors + non-2xx over 1 % of attempted requests, not at 1 %", () => {
    expect(codes({ errors: { ...emptyErrors(), timeout: 110 } })).toEqual(["errors"]);
    expect(codes({ errors: { ...emptyErrors(), timeout: 100 } })).toEqual([]);
    expect(codes({ errors: { ...emptyErrors(), status: 200 }, statusClasses: { "2xx": 9800, "4xx": 200 } })).toEqual(["non-2xx"]);
    expect(runVerdict({ ...healthy, errors: { ...emptyErrors(), timeout: 110 } }).verdict).toBe("invalid");
  });

  it("no success, even with few requests", () => {
    expect(codes({ requests: 3, statusClasses: { "4xx": 3 }, errors: { ...emptyErrors(), status: 3 }, sent: 3 })).toEqual([
      "non-2xx",
      "no-success",
    ]);
    expect(codes({ requests: 0, statusClasses: {}, sent: 0 })).toEqual(["no-success"]);
  });

  it("a constant rate below 95 % of its target", () => {
    expect(codes({ rate: 6000, rps: 5000 })).toEqual(["rate-unreached"]);
    expect(codes({ rate: 5200, rps: 5000 })).toEqual([]);
  });

  it("fewer than 99 % of the connections asked ever opened; uncounted connects are not judged", () => {
    expect(codes({ connectionsAsked: 100_000, connectionsOpened: 8_786 })).toEqual(["connections-unopened"]);
    expect(codes({ connectionsAsked: 1000, connectionsOpened: 990 })).toEqual([]);
    expect(codes({ connectionsAsked: 1000, connectionsOpened: null })).toEqual([]);
  });

  it("requests unfinished beyond 1 % of those sent; unknown accounting is not judged", () => {
    expect(codes({ sent: 10_200, unfinished: 200 })).toEqual(["unfinished"]);
    expect(codes({ sent: 10_050, unfinished: 50 })).toEqual([]);
    expect(codes({ sent: null, unfinished: null })).toEqual([]);
  });

  it("the client's count far from the server's own for the window: answers lost or miscounted", () => {
    expect(codes({ serverCounted: 12_000, inFlight: 16 })).toEqual(["count-mismatch"]);
    // windows a few ms apart: within 5 % plus twice the requests in flight
    expect(codes({ serverCounted: 10_400, inFlight: 16 })).toEqual([]);
    expect(codes({ serverCounted: 10_050, inFlight: 1000 })).toEqual([]);
    expect(codes({ serverCounted: null })).toEqual([]);
  });
});

describe("clientBound: judged from both sides", () => {
  it("client >= 90 % of its allotment while the server is below 90 % of its own", () => {
    expect(codes({ clientCpuPct: 93.8, serverCpuPct: 39.7 })).toEqual(["client-saturated"]);
    expect(codes({ clientCpuPct: 93.8, serverCpuPct: 95 })).toEqual([]);
    expect(codes({ clientCpuPct: 85, serverCpuPct: 40 })).toEqual([]);
    expect(runVerdict({ ...healthy, clientCpuPct: 93.8, serverCpuPct: 39.7 }).verdict).toBe("clientBound");
  });

  it("allotments: two client threads on two CPUs may use 200 %", () => {
    expect(saturationReasons({ clientCpuPct: 150, clientAllotmentPct: 200, serverCpuPct: 40, serverAllotmentPct: 100 })).toEqual([]);
  });

  it("load: the server unknown, a saturated client says the number may be the client's", () => {
    const v = loadVerdict({ result: healthy, threads: 1, generator: "native", clientCpus: [0], clientCpuPct: 97 });
    expect(v.verdict).toBe("clientBound");
    expect(v.reasons[0]!.message).toMatch(/server's CPU is unknown/);
  });
});

describe("noisy", () => {
  it("steal over 2 %, other processes over 10 % of the judged CPUs", () => {
    expect(codes({ cpuNoise: { cpus: [1], stealPct: 2.5, foreignPct: 0 } })).toEqual(["cpu-steal"]);
    expect(codes({ cpuNoise: { cpus: [0, 1], stealPct: 0, foreignPct: 12 } })).toEqual(["foreign-cpu"]);
    expect(codes({ cpuNoise: { cpus: [0, 1], stealPct: 1, foreignPct: 9 } })).toEqual([]);
  });

  it("the worst verdict wins: invalid over clientBound over noisy", () => {
    const v = runVerdict({
      ...healthy,
      clientCpuPct: 99,
      serverCpuPct: 10,
      cpuNoise: { cpus: [0], stealPct: 5, foreignPct: 0 },
      rate: 10_000,
    });
    expect(v.verdict).toBe("invalid");
    expect(v.reasons.map((r) => r.kind)).toEqual(["invalid", "clientBound", "noisy"]);
  });

  it("rows: a coefficient of variation over 5 % is noisy, with the repetitions it would take", () => {
    const run = (rps: number): RunOk => ({ status: "ok", rps, verdict: { verdict: "valid", reasons: [] } }) as unknown as RunOk;
    const v = rowVerdict([run(100), run(110), run(90)]);
    expect(v.verdict).toBe("noisy");
    expect(v.reasons[0]!.code).toBe("high-cv");
    expect(v.reasons[0]!.message).toMatch(/10 % .* over 3 repetitions > 5 %; about 16 repetitions/);
    expect(rowVerdict([run(100), run(101), run(99)]).verdict).toBe("valid");
    expect(coefficientOfVariation([5])).toBeNull();
    expect(repetitionsNeeded(0.1)).toBe(16);
  });

  it("rows: a reason shared by runs is said once, with how many runs", () => {
    const bad = { status: "ok", rps: 100, verdict: runVerdict({ ...healthy, rate: 1e6 }) } as unknown as RunOk;
    const v = rowVerdict([bad, bad]);
    expect(v.reasons.filter((r) => r.code === "rate-unreached")).toHaveLength(1);
    expect(v.reasons[0]!.message).toMatch(/^2 of 2 runs: rate unreached/);
  });
});

describe("request reasons read wrk's and autocannon's status forms alike", () => {
  it("non-2xx from status classes when the error count lacks them", () => {
    const r = requestReasons({ requests: 100, errors: emptyErrors(), statusClasses: { "2xx": 50, "non-2xx": 50 }, rps: 1, rate: null });
    expect(r.map((x) => x.code)).toEqual(["non-2xx"]);
  });
});
