// What each generator speaks besides HTTP/1.1 over TCP, for `list` and `doctor`: TLS where the
// build has it (the native addon's OpenSSL, else the reason), never silently plain.
import type { GeneratorName } from "../model/index.js";
import { loadAddon, tlsUnavailable } from "./native-addon.js";

export interface NativeTlsSupport {
  /** null when the native generator speaks https, else why not. */
  unavailable: string | null;
  /** The OpenSSL it runs with (null without TLS). */
  library: string | null;
}

export function nativeTlsSupport(): NativeTlsSupport {
  try {
    const why = tlsUnavailable();
    return { unavailable: why, library: why === null ? (loadAddon().tlsStatus?.().library ?? null) : null };
  } catch (e: unknown) {
    return { unavailable: `the native addon does not load (${e instanceof Error ? e.message : String(e)})`, library: null };
  }
}

/** One line: the protocols a generator speaks here. */
export function generatorProtocols(name: GeneratorName): string {
  switch (name) {
    case "native": {
      const t = nativeTlsSupport();
      return t.unavailable === null ? `http, https (${t.library})` : `http; https ${t.unavailable}`;
    }
    case "wrk":
      return "http, https (no certificate check: --insecure)";
    case "autocannon":
      return "http";
  }
}
