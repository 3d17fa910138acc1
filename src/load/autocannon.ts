// The autocannon generator: autocannon's programmatic API in its own client process.
import { existsSync } from "node:fs";
import { join } from "node:path";

import { DIST_DIR } from "../paths.js";
import { runProtocolClient } from "./client-run.js";
import type { LoadGenerator } from "./types.js";

const script = join(DIST_DIR, "bin", "autocannon-client.js");

export const autocannonGenerator: LoadGenerator = {
  name: "autocannon",
  async unavailableReason() {
    return existsSync(script) ? null : `${script} is missing: run npm run build`;
  },
  run(spec, hooks) {
    if (spec.echo) return Promise.reject(new Error("autocannon speaks only HTTP; echo mode needs the native generator"));
    return runProtocolClient("autocannon", script, spec, hooks);
  },
};
