// Whether an I/O backend of the native generator or the native server can run here (issue 17):
// epoll always can; io_uring needs liburing at build time and a kernel that lets this process set
// up a ring. The addon's loadBackendUnavailable / serverBackendUnavailable say why not; an addon
// built before them has no io_uring at all.
import { loadAddon } from "./native-addon.js";

export type NativeBackend = "epoll" | "io_uring";

/** null when the backend can run, else one line saying why not. */
export function nativeBackendUnavailable(backend: NativeBackend, sqpoll: boolean): string | null {
  if (backend === "epoll" && !sqpoll) return null;
  let addon: ReturnType<typeof loadAddon>;
  try {
    addon = loadAddon();
  } catch (e: unknown) {
    return `the native addon does not load (${e instanceof Error ? e.message : String(e)}): run npm run build:addon`;
  }
  const probe: unknown = Reflect.get(addon, "loadBackendUnavailable");
  if (typeof probe !== "function") return "this build's native addon has no io_uring backend; rebuild it (npm run build:addon)";
  return addon.loadBackendUnavailable(backend, sqpoll);
}

/** The native server's loops (the `native` target's --backend): null when io_uring can run here. */
export function nativeServerBackendUnavailable(backend: NativeBackend): string | null {
  if (backend === "epoll") return null;
  let addon: ReturnType<typeof loadAddon>;
  try {
    addon = loadAddon();
  } catch (e: unknown) {
    return `the native addon does not load (${e instanceof Error ? e.message : String(e)}): run npm run build:addon`;
  }
  const probe: unknown = Reflect.get(addon, "serverBackendUnavailable");
  if (typeof probe !== "function") return "this build's native addon has no io_uring server; rebuild it (npm run build:addon)";
  const why: unknown = probe(backend);
  return typeof why === "string" ? why : null;
}
