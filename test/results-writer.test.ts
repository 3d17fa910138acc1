// Result files: written atomically, never over another result, and the hardware id depends on
// the machine only.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { hardwareId } from "../src/results/env.js";
import { ResultWriter, utcStamp } from "../src/results/writer.js";

describe("result writer", () => {
  it("claims a fresh name, rewrites its own file, and leaves no temporary file behind", () => {
    const dir = mkdtempSync(join(tmpdir(), "evbench-writer-"));
    writeFileSync(join(dir, "x.json"), "someone else's result");
    const w = new ResultWriter(dir, "x");
    const first = w.write({ n: 1 });
    expect(first).toBe(join(dir, "x-1.json"));
    expect(w.write({ n: 2 })).toBe(first);
    expect(JSON.parse(readFileSync(first, "utf8"))).toEqual({ n: 2 });
    expect(readFileSync(join(dir, "x.json"), "utf8")).toBe("someone else's result");
    expect(readdirSync(dir).sort()).toEqual(["x-1.json", "x.json"]);
  });

  it("refuses an explicit --out path that exists", () => {
    const dir = mkdtempSync(join(tmpdir(), "evbench-writer-"));
    const out = join(dir, "out.json");
    writeFileSync(out, "keep me");
    expect(() => new ResultWriter(dir, "x", out).write({})).toThrow(/refusing to overwrite/);
    expect(readFileSync(out, "utf8")).toBe("keep me");
  });

  it("stamps in UTC without separators", () => {
    expect(utcStamp(new Date("2026-11-25T15:04:19.123Z"))).toBe("20261125T150419Z");
  });
});

describe("hardware id", () => {
  it("is stable, readable, and changes with the machine but not with the software", () => {
    const a = hardwareId("Intel(R) Xeon(R) Processor", 2, 24 * 2 ** 30 + 123, "x64");
    expect(a).toBe(hardwareId("Intel(R) Xeon(R) Processor", 2, 24 * 2 ** 30 - 4096, "x64"));
    expect(a).toMatch(/^intel-xeon-2c-24g-[0-9a-f]{8}$/);
    expect(hardwareId("Intel(R) Xeon(R) Processor", 4, 24 * 2 ** 30, "x64")).not.toBe(a);
    expect(hardwareId("AMD EPYC 7B13", 2, 24 * 2 ** 30, "x64")).not.toBe(a);
  });
});
