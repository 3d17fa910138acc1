// Whether the native server (the addon's and the standalone's core) can serve TLS here: built
// with OpenSSL, and which OpenSSL (issue 24). An addon built before TLS has no serverTls at all.
import { loadAddon } from "../load/native-addon.js";

export interface NativeTls {
  /** null when it can, else why not and how to fix it. */
  unavailable: string | null;
  version: string;
}

export function nativeServerTls(): NativeTls {
  let addon: ReturnType<typeof loadAddon>;
  try {
    addon = loadAddon();
  } catch (e: unknown) {
    return {
      unavailable: `the native addon does not load (${e instanceof Error ? e.message : String(e)}): run npm run build:addon`,
      version: "",
    };
  }
  const probe: unknown = Reflect.get(addon, "serverTls");
  if (typeof probe !== "function")
    return { unavailable: "this build's native addon has no TLS; rebuild it (npm run build:addon)", version: "" };
  const r = (probe as () => { unavailable: string | null; version: string }).call(addon);
  return { unavailable: r.unavailable, version: r.version };
}
