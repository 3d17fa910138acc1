// What each generator speaks besides HTTP/1.1 over TCP, for `list` and `doctor`: TLS where the
// build has it (the native addon's OpenSSL, else the reason), never silently plain.
import { type GeneratorName, isH2, isTls, type Protocol } from "../model/index.js";
import { h2Unavailable, loadAddon, tlsUnavailable } from "./native-addon.js";

export interface LibrarySupport {
  /** null when the native generator speaks it, else why not. */
  unavailable: string | null;
  /** The library it runs with (null when unavailable). */
  library: string | null;
}

function support(why: () => string | null, status: () => { library: string | null } | undefined): LibrarySupport {
  try {
    const unavailable = why();
    return { unavailable, library: unavailable === null ? (status()?.library ?? null) : null };
  } catch (e: unknown) {
    return { unavailable: `the native addon does not load (${e instanceof Error ? e.message : String(e)})`, library: null };
  }
}

// Inside Node the addon's OpenSSL and nghttp2 calls bind to Node's own copies where Node exports
// them (the executable's symbols come first), and Node exports nghttp2's session functions but
// not nghttp2_version(): the addon's own report would name the system library while Node's runs
// the sessions. process.versions names what runs (a Node built on the system's libraries says so).

/** https: OpenSSL. */
export function nativeTlsSupport(): LibrarySupport {
  const s = support(tlsUnavailable, () => loadAddon().tlsStatus?.());
  return s.unavailable === null ? { ...s, library: `OpenSSL ${process.versions.openssl} (Node's)` } : s;
}

/** HTTP/2: nghttp2. */
export function nativeH2Support(): LibrarySupport {
  const s = support(h2Unavailable, () => loadAddon().h2Status?.());
  return s.unavailable === null ? { ...s, library: `nghttp2 ${process.versions.nghttp2} (Node's)` } : s;
}

/** One line: the protocols a generator speaks here. */
export function generatorProtocols(name: GeneratorName): string {
  switch (name) {
    case "native": {
      const t = nativeTlsSupport();
      const h = nativeH2Support();
      const tls = t.unavailable === null ? `https (${t.library})` : `https ${t.unavailable}`;
      const h2 = h.unavailable === null ? `h2c${t.unavailable === null ? ", h2" : ""} (${h.library})` : `h2 ${h.unavailable}`;
      return `http, ${tls}, ${h2}`;
    }
    case "wrk":
      return "http, https (no certificate check: --insecure)";
    case "autocannon":
      return "http";
  }
}

/** Why this build's native generator cannot send `protocol` (its OpenSSL or nghttp2 missing, or
 *  the addon not loading), or null. GENERATOR_PROTOCOLS says what the adapter sends at all; this
 *  says whether the libraries under it are here, so a run is refused, never sent as plain. */
export function nativeProtocolUnavailable(protocol: Protocol): string | null {
  const tls = isTls(protocol) ? nativeTlsSupport().unavailable : null;
  if (tls !== null) return `https ${tls}`;
  const h2 = isH2(protocol) ? nativeH2Support().unavailable : null;
  return h2 === null ? null : `HTTP/2 ${h2}`;
}
