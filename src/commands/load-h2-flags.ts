// `load`'s HTTP/2 flags (--h2, --streams, --h2-window) to the spec's h2 field: h2c with prior
// knowledge for http://, ALPN h2 for https://. Every combination that cannot run is refused
// before anything runs (exit 2).
import { BadInputError } from "../errors.js";
import { h2Unavailable } from "../load/native-addon.js";
import type { GeneratorName, H2Spec } from "../load/types.js";

export interface H2Flags {
  h2: boolean;
  streams: number | undefined;
  window: number | undefined;
}

interface H2Context {
  generator: GeneratorName;
  pipeline: number;
  keepAlive: boolean;
  hasBody: boolean;
  check: string | undefined;
}

export function h2SpecOf(f: H2Flags, c: H2Context): H2Spec | undefined {
  if (!f.h2) {
    if (f.streams !== undefined)
      throw new BadInputError("--streams is HTTP/2's (concurrent streams per connection); add --h2, or use --pipeline");
    if (f.window !== undefined) throw new BadInputError("--h2-window is HTTP/2's flow-control window; add --h2");
    return undefined;
  }
  if (c.generator !== "native")
    throw new BadInputError(`--h2 needs the native generator (${c.generator} speaks HTTP/1.1 only); drop --generator ${c.generator}`);
  const why = h2Unavailable();
  if (why !== null) throw new BadInputError(`--h2: the native generator has no HTTP/2 here: ${why}`);
  if (c.pipeline > 1) throw new BadInputError("--h2 with --pipeline: HTTP/2 multiplexes streams instead; use --streams");
  if (!c.keepAlive)
    throw new BadInputError("--h2 with --no-keepalive: not supported (HTTP/2 streams share one connection); drop --no-keepalive");
  if (c.hasBody) throw new BadInputError("--h2 with a request body: not supported yet; drop --body/--body-file/--body-size");
  if (c.check !== undefined && /(^|,)\s*body/.test(c.check))
    throw new BadInputError("--check body with --h2: not supported yet (status and length are checked); drop body from --check");
  if (f.window !== undefined && f.window < 65_535)
    throw new BadInputError(`--h2-window ${f.window}: below HTTP/2's least window (65535 bytes)`);
  return { streams: f.streams ?? 1, ...(f.window !== undefined ? { window: f.window } : {}) };
}
