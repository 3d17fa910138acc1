// Where a user starts: the package packed (npm pack) and installed globally into a temporary
// prefix, its `evbench` run from another folder. Install scripts are skipped here (the addon's
// and the targets' builds are tested elsewhere): this checks what the tarball ships (the
// compiled CLI, the scenarios, the examples) and that the bin resolves its dependencies.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { ROOT } from "./helpers/cli.js";
import { tempDir } from "./helpers/user-example.js";

describe("npm pack + npm install -g", () => {
  it("installs a working evbench: --version, list, init from the user's own folder", () => {
    const dir = tempDir("pack");
    execFileSync("npm", ["pack", ROOT, "--pack-destination", dir], { cwd: dir, stdio: "pipe", timeout: 300_000 });
    const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    const prefix = join(dir, "prefix");
    execFileSync("npm", ["install", "-g", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", prefix, join(dir, tgz)], {
      cwd: dir,
      stdio: "pipe",
      timeout: 600_000,
    });
    const bin = join(prefix, "bin", "evbench");
    const home = tempDir("home");
    const run = (...args: string[]) => spawnSync(bin, args, { cwd: home, encoding: "utf8" });
    const version = run("--version");
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(/^evbench \d+\.\d+\.\d+/);
    const list = run("list");
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain("seed-table");
    const init = run("init", "mine.json", "--url", "http://127.0.0.1:8080");
    expect(init.status, init.stderr).toBe(0);
    expect(existsSync(join(home, "mine.json"))).toBe(true);
    expect(existsSync(join(prefix, "lib", "node_modules", "evbench", "examples", "json-api", "scenario.json"))).toBe(true);
  }, 900_000);
});
