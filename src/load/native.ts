// The native generator: the addon's LoadGen (native/core/load_*) in its own client process,
// so it can be pinned and its CPU measured apart from the runner.
import { existsSync } from "node:fs";
import { join } from "node:path";

import { DIST_DIR } from "../paths.js";
import { runProtocolClient } from "./client-run.js";
import { addonPath, loadAddon, validateSpec, type NativeSpecExtras } from "./native-addon.js";
import { sourceAddressesFor } from "./source-addresses.js";
import type { LoadGenerator, LoadSpec } from "./types.js";

const script = join(DIST_DIR, "bin", "native-client.js");

/** Past one source address's ports, the connections spread over several (source-addresses.ts). */
function withSourceAddresses(spec: LoadSpec & NativeSpecExtras): LoadSpec & NativeSpecExtras {
  const sources = sourceAddressesFor(spec.host, spec.port, spec.connections, spec.sourceAddresses);
  return sources === undefined ? spec : { ...spec, sourceAddresses: sources };
}

export const nativeGenerator: LoadGenerator = {
  name: "native",
  async unavailableReason() {
    const addon = addonPath();
    if (!existsSync(addon)) return `the native addon is not built (${addon} is missing): run npm run build:addon`;
    try {
      loadAddon();
    } catch (e: unknown) {
      return `the native addon does not load (${e instanceof Error ? e.message : String(e)}): run npm run build:addon`;
    }
    return existsSync(script) ? null : `${script} is missing: run npm run build`;
  },
  async run(spec, hooks) {
    validateSpec(spec); // a bad spec fails here, with its message, not in the client process
    return runProtocolClient("native", script, withSourceAddresses(spec), hooks);
  },
};
