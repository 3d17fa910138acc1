// Kernel TLS offload (issue 24): the kernel can take over a connection's record encryption once
// the handshake is done, when its `tls` module is loaded (a ULP TCP sockets can be switched to).
import { readFileSync } from "node:fs";

const ULP_FILE = "/proc/sys/net/ipv4/tcp_available_ulp";

/** null when the kernel offers the tls ULP, else why not and how to fix it. */
export function ktlsUnavailableReason(): string | null {
  let ulps: string;
  try {
    ulps = readFileSync(ULP_FILE, "utf8");
  } catch {
    return `${ULP_FILE} is missing: not a Linux kernel with TCP ULPs, so no kernel TLS`;
  }
  if (ulps.split(/\s+/).includes("tls")) return null;
  return `the kernel's tls module is not loaded (${ULP_FILE}: ${ulps.trim() || "empty"}): modprobe tls (CONFIG_TLS), else TLS stays in user space`;
}
