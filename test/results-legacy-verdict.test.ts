// A result written before verdicts: its runs are judged by today's request rules from the counts
// they hold (src/verdict/recorded.ts reuses src/verdict/requests.ts), and a client it marked
// saturated stays client-bound.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import type { RunOk } from "../src/model/index.js";
import { parseResultFile } from "../src/results/upgrade.js";
import { runVerdictOf as runVerdict } from "../src/verdict/index.js";

const dir = join(import.meta.dirname, "..", "results", "intel-xeon-2c-24g-fc999b8f");
const file = readdirSync(dir).find((f) => f.endsWith("-seed-table.json"))!;
const older = parseResultFile(JSON.parse(readFileSync(join(dir, file), "utf8")));
const first = older.runs.find((r): r is RunOk => r.status === "ok")!;
const bare = (over: Partial<RunOk>): RunOk =>
  ({ ...first, verdict: undefined, ...over, client: { ...first.client, clientBound: false, ...over.client } }) as RunOk;

describe("verdicts of an older result file", () => {
  it("passes a run whose counts show nothing wrong", () => {
    expect(runVerdict(bare({})).verdict).toBe("valid");
  });

  it("calls a run of 404 answers invalid, as today's runner would", () => {
    const v = runVerdict(bare({ statusClasses: { "4xx": first.requests } }));
    expect(v.verdict).toBe("invalid");
    expect(v.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(["non-2xx", "no-success"]));
  });

  it("keeps a client the file marked saturated as client-bound", () => {
    const v = runVerdict(bare({ client: { ...first.client, clientBound: true } }));
    expect(v.verdict).toBe("clientBound");
  });
});
