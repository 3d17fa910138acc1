#!/usr/bin/env node
// `npm install` runs this (the `install` script; its presence also stops npm from running an
// implicit `node-gyp rebuild` for binding.gyp, so the addon is built once): compile the
// TypeScript, build the native addon with cmake-js, and build the targets (Go, when Go is
// installed; the C floor). The three are independent, so they run at once: tsc is one thread,
// and cmake's configure and link steps are serial, so on two cores the overlap saves wall time.
// Tools come from this package's own node_modules, never through npx. A missing optional
// toolchain is reported, not fatal; a compile error is.
//   --addon-only   only the addon (npm run build:addon)
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));

// cmake-js downloads Node's headers unless told where they are: npm passes its `nodedir`
// setting (npm_config_nodedir); run directly (`node scripts/build-all.mjs`) there is none, so
// point it at the headers of the Node running this, when that installation has them.
const installedHeaders = join(dirname(process.execPath), "..", "include", "node", "node.h");
if (!process.env.npm_config_nodedir && existsSync(installedHeaders)) process.env.npm_config_nodedir = join(dirname(process.execPath), "..");

/** Runs one step; resolves with a failure line or null. */
function step(label, args) {
  const started = Date.now();
  process.stderr.write(`evbench: ${label}\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: "inherit" });
    child.on("error", (e) => resolve(`evbench: ${label} failed: ${e.message}`));
    child.on("exit", (code, signal) => {
      if (code === 0) {
        process.stderr.write(`evbench: ${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        resolve(null);
      } else resolve(`evbench: ${label} failed (${signal ? `killed by ${signal}` : `exit ${code}`})`);
    });
  });
}

// A unity build: the core's small sources share their headers, so compiling them in a few
// batches parses those headers a few times instead of twenty (1.4 s of 5 s here, more while tsc
// competes for the two cores). The tests and fuzzers still build each source on its own.
const addon = () =>
  step("building the native addon (cmake-js, once)", [
    require.resolve("cmake-js/bin/cmake-js"),
    "compile",
    "-O",
    "build",
    "--CDCMAKE_UNITY_BUILD=ON",
  ]);
function hasTypeScript() {
  try {
    require.resolve("typescript/bin/tsc");
    return true;
  } catch {
    if (!existsSync(join(root, "dist", "cli.js")))
      throw new Error("neither TypeScript nor a compiled dist/ is here: install the dev dependencies (npm install)");
    return false;
  }
}

const steps = process.argv.includes("--addon-only")
  ? [addon()]
  : [
      // From a packed tarball (npm pack) dist/ ships compiled and TypeScript, a dev dependency, is absent.
      ...(hasTypeScript() ? [step("compiling TypeScript (tsc)", [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"])] : []),
      addon(),
      step("building the targets", [join(root, "scripts", "build-targets.mjs")]),
      // The eBPF probes: skipped with the reason in build/bpf/unavailable when clang, bpftool,
      // libbpf or BTF are missing, so that an install never fails for them.
      step("building the eBPF probes", [join(root, "native", "bpf", "build.mjs")]),
    ];
const failures = (await Promise.all(steps)).filter((f) => f !== null);
for (const f of failures) process.stderr.write(`${f}\n`);
process.exit(failures.length > 0 ? 1 : 0);
