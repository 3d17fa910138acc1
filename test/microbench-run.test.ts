// npm run microbench in its short form, for real: the core's hot parts and the TypeScript hot
// paths each measured, saved as an evbench/microbench@1 file, which its compare reads back.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

const script = join(import.meta.dirname, "..", "bench", "microbench.mjs");
const bin = join(import.meta.dirname, "..", "build", "bench", "evbench-microbench");
const run = (args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: "utf8", timeout: 60_000 });

describe.skipIf(!existsSync(bin))("microbench (short form)", () => {
  const out = join(mkdtempSync(join(tmpdir(), "evbench-micro-")), "micro.json");

  it("measures every task and saves them with a median and an interval", () => {
    const r = run(["--short", "--out", out]);
    expect(r.status, r.stderr).toBe(0);
    const file = JSON.parse(readFileSync(out, "utf8"));
    expect(file.schema).toBe("evbench/microbench@1");
    const names = file.tasks.map((t: { name: string }) => t.name);
    for (const n of [
      "ring-buffer",
      "request framer GET",
      "request framer POST",
      "response parser",
      "histogram record",
      "hdr decode",
      "hdr merge",
      "mann-whitney",
    ]) {
      expect(
        names.some((x: string) => x.startsWith(n)),
        n,
      ).toBe(true);
    }
    for (const t of file.tasks) {
      expect(t.samples.length, t.name).toBeGreaterThanOrEqual(5);
      expect(t.summary.median, t.name).toBeGreaterThan(0);
      expect(t.summary.lo).toBeLessThanOrEqual(t.summary.median);
      expect(t.summary.hi).toBeGreaterThanOrEqual(t.summary.median);
    }
    expect(file.env.hardwareId).toBeTruthy();
  }, 90_000);

  it("compares a file with itself: no change anywhere, exit 0", () => {
    const r = run(["compare", out, out, "--fail-on-regression", "5"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/REGRESSION/);
    expect(
      r.stdout
        .trim()
        .split("\n")
        .every((l) => / ~ \(p=/.test(l)),
    ).toBe(true);
  });

  it("bad input: one line naming the problem, exit 2", () => {
    const r = run(["compare", out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    const notOurs = run(["compare", out, script]);
    expect(notOurs.status).toBe(2);
    expect(notOurs.stderr).toMatch(/cannot read a JSON document/);
  });
});
