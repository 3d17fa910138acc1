// Whether an I/O backend of the native generator or the native server can run here (issue 17):
// epoll always can; io_uring needs liburing at build time and a kernel that lets this process set
// up a ring. The addon's loadBackendUnavailable / serverBackendUnavailable say why not; an addon
// built before them has no io_uring at all.
import type { NativeBackend } from "../model/index.js";
import { loadAddon } from "./native-addon.js";

/** The backends' one list is the model's (NATIVE_BACKENDS); re-exported for the load layer. */
export type { NativeBackend };

/** Asks one of the addon's io_uring probes: null when the backend can run here, else why not. */
function askAddon(probeName: "loadBackendUnavailable" | "serverBackendUnavailable", what: string, args: unknown[]): string | null {
  let addon: ReturnType<typeof loadAddon>;
  try {
    addon = loadAddon();
  } catch (e: unknown) {
    return `the native addon does not load (${e instanceof Error ? e.message : String(e)}): run npm run build:addon`;
  }
  const probe: unknown = Reflect.get(addon, probeName);
  if (typeof probe !== "function") return `this build's native addon has no ${what}; rebuild it (npm run build:addon)`;
  const why: unknown = (probe as (...a: unknown[]) => unknown).apply(addon, args);
  return typeof why === "string" ? why : null;
}

/** The native generator's backend: null when it can run, else one line saying why not. */
export function nativeBackendUnavailable(backend: NativeBackend, sqpoll: boolean): string | null {
  if (backend === "epoll" && !sqpoll) return null;
  return askAddon("loadBackendUnavailable", "io_uring backend", [backend, sqpoll]);
}

/** The native server's loops (the `native` target's --backend): null when io_uring can run here. */
export function nativeServerBackendUnavailable(backend: NativeBackend): string | null {
  if (backend === "epoll") return null;
  return askAddon("serverBackendUnavailable", "io_uring server", [backend]);
}
