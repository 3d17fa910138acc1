#!/usr/bin/env node
// Builds every compiled target into build/targets/: the Go module's commands (when Go is on
// the PATH) and the C floor. Each part reports what it built and what is unavailable.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let failed = false;
for (const script of ["targets/go/build.mjs", "targets/c-floor/build.mjs", "tools/link-relay/build.mjs"]) {
  const file = join(root, script);
  if (!existsSync(file)) continue;
  const r = spawnSync(process.execPath, [file], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
