// The certificate of a scenario run: made once when any of its runs speaks TLS, or the user's own.
import { isTls, protocolOfLoad, type TlsKeyType } from "../model/index.js";
import { makeRunCerts, userCerts, type TlsFiles } from "./certs.js";

interface NeedsCerts {
  targets: readonly { variants: readonly { load: { tls: boolean; h2: boolean } }[] }[];
  certificate: { keyType: TlsKeyType; cert: string | null; key: string | null };
}

/** The files (null: no run speaks TLS), or why none could be had (each TLS run fails with it). */
export async function runCertificates(s: NeedsCerts): Promise<{ files: TlsFiles | null; why: string | null }> {
  if (!s.targets.some((t) => t.variants.some((v) => isTls(protocolOfLoad(v.load))))) return { files: null, why: null };
  try {
    if (s.certificate.cert !== null) return { files: userCerts(s.certificate.cert, s.certificate.key ?? undefined), why: null };
    return { files: await makeRunCerts(s.certificate.keyType), why: null };
  } catch (e) {
    return { files: null, why: `no certificate for the TLS runs: ${(e as Error).message}` };
  }
}
