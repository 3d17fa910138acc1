// Run on a host of the ssh topology: prints one JSON line with this installation's evbench version
// and the host's environment fingerprint, so the runner can check versions and record each host.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { ROOT } from "../paths.js";
import { fingerprint } from "../results/env.js";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
process.stdout.write(JSON.stringify({ version: pkg.version, root: ROOT, env: fingerprint() }) + "\n");
