// `load`'s TLS flags (--ca, --insecure, --tls-resume, --tls-early-data) with an https:// URL, to the spec's tls
// field: every combination a generator cannot do is refused before anything runs.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";

import { BadInputError } from "../errors.js";
import { tlsUnavailable } from "../load/native-addon.js";
import type { GeneratorName, TlsSpec } from "../load/types.js";

export interface TlsFlags {
  caFile: string | undefined;
  insecure: boolean;
  resume: boolean;
  earlyData: boolean;
}

function given(f: TlsFlags): string[] {
  return [
    f.caFile !== undefined ? "--ca" : "",
    f.insecure ? "--insecure" : "",
    f.resume ? "--tls-resume" : "",
    f.earlyData ? "--tls-early-data" : "",
  ].filter((x) => x !== "");
}

function checkCaFile(file: string): void {
  if (!existsSync(file) || !statSync(file).isFile())
    throw new BadInputError(`--ca ${file}: no such file; give a PEM file of CA certificates`);
}

/** The spec's tls field for an https URL (undefined for http). */
export function tlsSpecOf(f: TlsFlags, https: boolean, generator: GeneratorName): TlsSpec | undefined {
  const flags = given(f);
  if (!https) {
    if (flags.length > 0) throw new BadInputError(`${flags.join(", ")}: TLS options need an https:// URL`);
    return undefined;
  }
  if (f.caFile !== undefined && f.insecure)
    throw new BadInputError("--ca and --insecure exclude each other: check against a CA, or do not check");
  if (f.caFile !== undefined) checkCaFile(f.caFile);
  if (f.earlyData && !f.resume) throw new BadInputError("--tls-early-data rides on a resumed session: add --tls-resume");
  if (generator === "autocannon")
    throw new BadInputError("https: the autocannon generator is not wired for TLS here; use the native generator or wrk");
  if (generator === "wrk") {
    // wrk never checks the certificate: say so rather than imply a check that does not happen.
    if (!f.insecure)
      throw new BadInputError("https with wrk: wrk does not check the server's certificate; add --insecure, or use the native generator");
    if (f.resume || f.earlyData)
      throw new BadInputError(
        `${f.earlyData ? "--tls-early-data" : "--tls-resume"}: wrk has no session resumption option; use the native generator`,
      );
    return { insecure: true, alpn: "http/1.1", resume: false };
  }
  const why = tlsUnavailable();
  if (why !== null) throw new BadInputError(`https: the native generator has no TLS here: ${why}`);
  return {
    ...(f.caFile !== undefined ? { caFile: resolve(f.caFile) } : {}),
    insecure: f.insecure,
    alpn: "http/1.1",
    resume: f.resume,
    ...(f.earlyData ? { earlyData: true } : {}),
  };
}
