// Run-time certificates (issue 24): a throwaway CA and one leaf for 127.0.0.1, ::1 and localhost,
// made per run with the openssl binary in a private temp folder and removed at the end, so no key
// is ever committed or reused between runs. A user's own certificate and key can be named instead.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { BadInputError } from "../errors.js";
import type { TlsKeyType } from "../model/index.js";
import { SERVER_ADDRESS } from "../topology/link-wire.js";

const run = promisify(execFile);

/** The files a TLS target is started with (`--tls-cert`, `--tls-key`) and a client trusts (`ca`). */
export interface TlsFiles {
  cert: string;
  key: string;
  /** The CA that signed `cert` (null: the user's own certificate, trusted however the user says). */
  ca: string | null;
  keyType: TlsKeyType | "user";
  /** Removes the files made for this run (nothing for a user's own). */
  remove(): void;
}

/** Days a run's certificate is valid: a run never lasts longer, and a stolen key dies soon. */
const VALID_DAYS = 2;
const OPENSSL_TIMEOUT_MS = 30_000;

function keyArgs(keyType: TlsKeyType): string[] {
  return keyType === "rsa-2048" ? ["-newkey", "rsa:2048"] : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run("openssl", args, { timeout: OPENSSL_TIMEOUT_MS });
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    if (e.code === "ENOENT") throw new Error(OPENSSL_MISSING);
    const line = (e.stderr ?? e.message).trim().split("\n").pop();
    throw new Error(`openssl ${args[0]} failed: ${line}`);
  }
}

const OPENSSL_MISSING = "the openssl binary is not on PATH: install it (apt-get install openssl) to make run-time certificates";

/** null when openssl can make the run's certificates, else why not. */
export async function opensslUnavailableReason(): Promise<string | null> {
  return (await opensslVersion()) === null ? OPENSSL_MISSING : null;
}

/** The openssl binary's version line ("OpenSSL 3.0.19 27 Jan 2026"), null when there is none. */
export async function opensslVersion(): Promise<string | null> {
  try {
    const { stdout } = await run("openssl", ["version"], { timeout: OPENSSL_TIMEOUT_MS });
    return stdout.trim();
  } catch {
    return null;
  }
}

const LEAF_EXTENSIONS = [
  "basicConstraints = critical, CA:FALSE",
  "keyUsage = critical, digitalSignature, keyEncipherment",
  "extendedKeyUsage = serverAuth",
  // The netns topology's server address too: its runs connect there (src/topology/link-wire.ts).
  `subjectAltName = IP:127.0.0.1, IP:::1, IP:${SERVER_ADDRESS}, DNS:localhost`,
  "",
].join("\n");

/** Makes a CA and a leaf signed by it in a new 0700 folder; the caller removes them with `remove()`. */
export async function makeRunCerts(keyType: TlsKeyType = "ec-p256"): Promise<TlsFiles> {
  const dir = mkdtempSync(join(tmpdir(), "evbench-tls-"));
  chmodSync(dir, 0o700);
  const f = (name: string) => join(dir, name);
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const days = ["-days", String(VALID_DAYS)];
    await openssl(
      ["req", "-x509", ...keyArgs(keyType), "-nodes", "-keyout", f("ca.key"), "-out", f("ca.crt"), ...days]
        .concat(["-subj", "/CN=evbench run CA", "-addext", "basicConstraints=critical,CA:TRUE"])
        .concat(["-addext", "keyUsage=critical,keyCertSign,cRLSign"]),
    );
    await openssl(["req", ...keyArgs(keyType), "-nodes", "-keyout", f("leaf.key"), "-out", f("leaf.csr"), "-subj", "/CN=localhost"]);
    writeFileSync(f("leaf.ext"), LEAF_EXTENSIONS);
    await openssl(
      ["x509", "-req", "-in", f("leaf.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-set_serial", serial()].concat([
        "-out",
        f("leaf.crt"),
        ...days,
        "-extfile",
        f("leaf.ext"),
      ]),
    );
    // The CA's key has signed its one leaf: it is not needed again, so it does not stay on disk.
    rmSync(f("ca.key"));
    return { cert: f("leaf.crt"), key: f("leaf.key"), ca: f("ca.crt"), keyType, remove };
  } catch (err) {
    remove();
    throw err;
  }
}

/** A random positive 64-bit serial, so two runs' leaves never share one. */
function serial(): string {
  const bytes = randomBytes(8);
  bytes.writeUInt8(bytes.readUInt8(0) & 0x7f, 0);
  return `0x${bytes.toString("hex")}`;
}

/** The user's own certificate and key (`--cert FILE --key FILE`): both named, both readable. */
export function userCerts(cert: string | undefined, key: string | undefined): TlsFiles {
  if (!cert || !key) throw new BadInputError("--cert and --key go together: name both files (PEM), or neither for a run-time certificate");
  for (const [flag, file] of [
    ["--cert", cert],
    ["--key", key],
  ] as const) {
    try {
      accessSync(file, constants.R_OK);
    } catch {
      throw new BadInputError(`${flag} ${file}: cannot read the file; name a readable PEM file`);
    }
  }
  return { cert, key, ca: null, keyType: "user", remove: () => {} };
}
