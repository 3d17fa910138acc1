// Issue 11, "offline with Go present but modules missing": the Go targets are reported
// unavailable and the build of the targets still passes (the C floor is built).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, chmodSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { ROOT } from "./helpers/cli.js";

const hasGo = spawnSync("go", ["version"]).status === 0;

function makeWritable(dir: string): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    chmodSync(p, 0o755);
    if (statSync(p).isDirectory()) makeWritable(p);
  }
}

describe.skipIf(!hasGo)("targets build offline without the Go modules", () => {
  it("reports the Go targets unavailable and exits 0", () => {
    const modcache = mkdtempSync(join(tmpdir(), "evbench-gomod-"));
    try {
      const r = spawnSync(process.execPath, [join(ROOT, "scripts", "build-targets.mjs")], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, GOMODCACHE: modcache, GOPROXY: "off", GOFLAGS: "-mod=mod" },
        timeout: 120_000,
      });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/go targets unavailable: their modules cannot be had/);
      expect(r.stdout).toMatch(/c-floor/);
    } finally {
      makeWritable(modcache);
      rmSync(modcache, { recursive: true, force: true });
    }
  }, 150_000);
});
