// Making the folders of an output path (issue 28): Node's recursive mkdirSync never returns under
// /proc (mkdir answers ENOENT for a parent that exists, and Node retries it forever), which hung
// `bench --out /proc/x/y` for good, deaf to SIGTERM. makeDirs makes each folder itself and fails.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { makeDirs } from "../src/io/make-dirs.js";
import { ROOT } from "./helpers/cli.js";

describe("makeDirs", () => {
  it("makes every missing folder of a path, and accepts one that exists", () => {
    const work = mkdtempSync(join(tmpdir(), "evb-hostile-dirs-"));
    try {
      makeDirs(join(work, "a", "b", "c"));
      expect(statSync(join(work, "a", "b", "c")).isDirectory()).toBe(true);
      makeDirs(join(work, "a", "b"));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("fails at once under /proc, in a process of its own (a hang would only time out)", () => {
    const code = `import("${join(ROOT, "dist", "io", "make-dirs.js")}").then((m) => { try { m.makeDirs("/proc/evb-hostile/x"); } catch (e) { console.log(e.code); } })`;
    const r = spawnSync(process.execPath, ["-e", code], { encoding: "utf8", timeout: 10_000 });
    expect(r.signal).toBeNull();
    expect(r.stdout.trim()).toBe("ENOENT");
    expect(existsSync("/proc/evb-hostile")).toBe(false);
  });

  it("a file where a folder should be is refused", () => {
    const work = mkdtempSync(join(tmpdir(), "evb-hostile-dirs-"));
    try {
      writeFileSync(join(work, "file"), "");
      expect(() => makeDirs(join(work, "file", "x"))).toThrow(/ENOTDIR/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
