// Poisson arrivals in a scenario (issue 25): `"arrival": "poisson"` with a rate reaches the native
// generator's spec and the run's recorded load; without a rate, or with another generator, the
// scenario is refused in one line before anything runs.
import { describe, expect, it } from "vitest";

import { BadInputError } from "../src/errors.js";
import { loadSettingsFor, loadSpecFor } from "../src/run/load-spec.js";
import { parseScenario } from "../src/scenario/load.js";

const parse = (load: object) => parseScenario({ name: "t", targets: ["nethttp"], durationS: 1, load }, "/tmp/t.json");

describe("scenario arrival", () => {
  it("poisson with a rate goes to the native generator and into the recorded load", () => {
    const s = parse({ rate: 2000, arrival: "poisson" });
    const v = s.targets[0]!.variants[0]!;
    expect(loadSpecFor(s, v, "127.0.0.1", 1).arrival).toBe("poisson");
    expect(loadSettingsFor(s, v).arrival).toBe("poisson");
  });

  it("constant, the default, is recorded as nothing (results before it read the same)", () => {
    const s = parse({ rate: 2000 });
    const v = s.targets[0]!.variants[0]!;
    expect(loadSpecFor(s, v, "127.0.0.1", 1).arrival).toBeUndefined();
    expect(loadSettingsFor(s, v).arrival).toBeUndefined();
  });

  it.each([
    [{ arrival: "poisson" }, /arrival "poisson" sets when open-loop requests are sent; add a rate/],
    [{ arrival: "poisson", rate: 100, generator: "wrk" }, /arrival "poisson" needs the native generator/],
    [{ arrival: "bursty", rate: 100 }, /arrival/],
  ])("refuses %j in one line", (load, why) => {
    let err: unknown;
    try {
      parse(load);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(why);
    expect((err as Error).message.split("\n")).toHaveLength(1);
  });
});
