// The contract's protocol flags for a registered target (docs/architecture.md "Target process"):
// TLS (h1-tls and h2-tls alike: ALPN picks) takes the certificate and key; h2c is one flag.
import type { Protocol } from "../model/index.js";
import type { TlsFiles } from "./certs.js";

export function protocolArgs(protocol: Protocol, files: TlsFiles | null): string[] {
  if (protocol === "h2c") return ["--h2c"];
  if (protocol === "h1") return [];
  if (!files) throw new Error(`${protocol} needs a certificate: make one with makeRunCerts() or name the user's`);
  return ["--tls-cert", files.cert, "--tls-key", files.key];
}
