// The count cross-check allows what the target's slow counter answers at the window's edges
// explain (a busy machine), and no more: a gap beyond them is still a count mismatch.
import { describe, expect, it } from "vitest";

import { edgeSlackRequests, timeAnswer } from "../src/window/edge-timing.js";
import { requestReasons } from "../src/verdict/requests.js";

const facts = (serverCounted: number, edgeSlack?: number) => ({
  requests: 26_424,
  errors: { connect: 0, reset: 0, timeout: 0, badResponse: 0, status: 0, tls: 0, goaway: 0, rstStream: 0 },
  statusClasses: { "2xx": 26_424 },
  rps: 26_424,
  rate: null,
  serverCounted,
  inFlight: 2,
  ...(edgeSlack === undefined ? {} : { edgeSlack }),
});
const codes = (f: ReturnType<typeof facts>) => requestReasons(f).map((r) => r.code);

describe("count cross-check at slow window edges", () => {
  it("takes the requests answered while the target answered its counters as explained", () => {
    // 150 ms of counter answers at 26,424 req/s: 3,964 requests
    expect(edgeSlackRequests(26_424, 150)).toBe(3964);
    expect(codes(facts(22_451))).toContain("count-mismatch");
    expect(codes(facts(22_451, edgeSlackRequests(26_424, 150)))).not.toContain("count-mismatch");
  });

  it("still flags a gap beyond them", () => {
    expect(codes(facts(18_000, edgeSlackRequests(26_424, 150)))).toContain("count-mismatch");
  });

  it("times an answer from the ask to its resolution", async () => {
    let took = -1;
    const v = await timeAnswer(new Promise<string>((r) => setTimeout(() => r("x"), 60)), (ms) => (took = ms));
    expect(v).toBe("x");
    expect(took).toBeGreaterThanOrEqual(59);
  });
});
