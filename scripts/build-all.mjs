#!/usr/bin/env node
// `npm install` runs this (the `prepare` script): compile the TypeScript, build the native addon
// with cmake-js, then the targets (Go, when Go is installed; the C floor). A missing optional
// toolchain is reported, not fatal; a compile error is.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function step(label, cmd, args) {
  process.stderr.write(`evbench: ${label}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", shell: false });
  if (r.error || r.status !== 0) {
    process.stderr.write(`evbench: ${label} failed${r.error ? `: ${r.error.message}` : ` (exit ${r.status})`}\n`);
    process.exit(1);
  }
}

const npx = process.platform === "win32" ? "npx.cmd" : "npx";
step("compiling TypeScript (tsc)", npx, ["tsc", "-p", "tsconfig.json"]);
step("building the native addon (cmake-js)", npx, ["cmake-js", "compile", "-O", "build"]);
step("building the targets", process.execPath, [join(root, "scripts", "build-targets.mjs")]);
