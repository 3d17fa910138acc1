// `target`'s protocol options: --tls (a certificate made for this run), --cert/--key (the user's
// own), --h2c; each refused for a target that does not speak it, before anything starts.
import { BadInputError } from "../errors.js";
import type { TargetDef } from "../targets/registry.js";
import { makeRunCerts, opensslUnavailableReason, userCerts, type TlsFiles } from "../tls/certs.js";
import { protocolArgs } from "../tls/target-args.js";

export interface TargetProtocol {
  args: string[];
  files: TlsFiles | null;
}

export async function targetProtocol(
  def: TargetDef,
  o: { mode: string; tls: boolean; cert?: string; key?: string; h2c: boolean },
): Promise<TargetProtocol> {
  const own = o.cert !== undefined || o.key !== undefined;
  if ((o.tls || own || o.h2c) && o.mode !== "http") throw new BadInputError("--tls, --cert/--key and --h2c are HTTP: use --mode http");
  if (o.h2c && (o.tls || own))
    throw new BadInputError("--h2c is HTTP/2 without TLS: drop --tls/--cert/--key, or drop --h2c (over TLS, h2 is offered by ALPN)");
  if (o.tls && own) throw new BadInputError("--tls makes a certificate for this run; --cert/--key name your own: give one or the other");
  if (o.h2c) {
    if (!def.protocols.includes("h2c"))
      throw new BadInputError(`--h2c: ${def.name} does not speak h2c (it speaks ${def.protocols.join(", ")})`);
    return { args: protocolArgs("h2c", null), files: null };
  }
  if (!o.tls && !own) return { args: [], files: null };
  if (!def.protocols.includes("h1-tls")) throw new BadInputError(`${def.name} does not speak TLS (it speaks ${def.protocols.join(", ")})`);
  if (o.tls) {
    const why = await opensslUnavailableReason();
    if (why) throw new BadInputError(`--tls: ${why}; or name your own with --cert FILE --key FILE`);
  }
  const files = own ? userCerts(o.cert, o.key) : await makeRunCerts();
  return { args: protocolArgs("h1-tls", files), files };
}
