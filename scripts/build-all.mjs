#!/usr/bin/env node
// `npm install` runs this (the `install` script; its presence also stops npm from running an
// implicit `node-gyp rebuild` for binding.gyp, so the addon is built once): compile the
// TypeScript, build the native addon with cmake-js, then the targets (Go, when Go is installed;
// the C floor). Tools come from this package's own node_modules, never through npx. A missing
// optional toolchain is reported, not fatal; a compile error is.
//   --addon-only   only the addon (npm run build:addon)
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));

function step(label, args) {
  const started = Date.now();
  process.stderr.write(`evbench: ${label}\n`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", shell: false });
  if (r.error || r.status !== 0) {
    process.stderr.write(`evbench: ${label} failed${r.error ? `: ${r.error.message}` : ` (exit ${r.status})`}\n`);
    process.exit(1);
  }
  process.stderr.write(`evbench: ${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const addonOnly = process.argv.includes("--addon-only");
if (!addonOnly) step("compiling TypeScript (tsc)", [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"]);
step("building the native addon (cmake-js, once)", [require.resolve("cmake-js/bin/cmake-js"), "compile", "-O", "build"]);
if (!addonOnly) step("building the targets", [join(root, "scripts", "build-targets.mjs")]);
