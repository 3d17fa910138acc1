#!/usr/bin/env node
// Builds every compiled target into build/targets/: the Go module's commands (when Go is on
// the PATH and the module's dependencies can be had) and the C floor. Each part reports what it
// built and what is unavailable; only a compile error fails the install.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const goDir = join(root, "targets", "go");

/** null when the Go module's dependencies are in the module cache or can be fetched, else why not. */
function goModulesMissing() {
  const go = spawnSync("go", ["version"], { encoding: "utf8" });
  if (go.error || go.status !== 0) return null; // targets/go/build.mjs says Go is missing itself
  const r = spawnSync("go", ["mod", "download"], { cwd: goDir, encoding: "utf8" });
  if (r.status === 0) return null;
  const why = (r.stderr || String(r.error ?? "")).trim().split("\n")[0];
  return why || `go mod download exited with code ${r.status}`;
}

let failed = false;
for (const script of ["targets/go/build.mjs", "targets/c-floor/build.mjs", "tools/link-relay/build.mjs"]) {
  const file = join(root, script);
  if (!existsSync(file)) continue;
  if (script.startsWith("targets/go/")) {
    const missing = goModulesMissing();
    if (missing) {
      console.log(
        `go targets unavailable: their modules cannot be had (offline?): ${missing}; run 'node targets/go/build.mjs' once they can`,
      );
      continue;
    }
  }
  const r = spawnSync(process.execPath, [file], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
