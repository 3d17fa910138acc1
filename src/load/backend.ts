// Whether the native generator's I/O backend can run here (issue 17): epoll always can; io_uring
// needs liburing at build time and a kernel that lets this process set up a ring. The addon's
// loadBackendUnavailable says why not; an addon built before it has no io_uring at all.
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
