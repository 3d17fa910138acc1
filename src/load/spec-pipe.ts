// How a client process gets its request spec: on its stdin, never its command line (a body on
// argv fails with E2BIG at 128 KiB, one argument's limit). The frame is one line of JSON (the spec
// without its body, plus `bodyLength`), then exactly bodyLength raw bytes. The runner keeps stdin
// open afterwards: its EOF is how the client learns that the runner died (src/load/watchdog.ts).
import type { Readable, Writable } from "node:stream";

import { READ_LIMITS } from "../io/limits.js";

interface WithBody {
  body?: string;
}

/** The frame for `spec`; a body (a string of bytes, one code unit each) travels raw. */
export function specFrame(spec: object & WithBody): Buffer {
  const { body, ...rest } = spec;
  const bytes = body === undefined ? null : Buffer.from(body, "latin1");
  const head = JSON.stringify({ ...rest, bodyLength: bytes === null ? null : bytes.length });
  return bytes === null ? Buffer.from(`${head}\n`) : Buffer.concat([Buffer.from(`${head}\n`), bytes]);
}

export function sendSpec(stdin: Writable, spec: object & WithBody): void {
  stdin.write(specFrame(spec));
}

/** The frame's header line: the spec without its body, and how many body bytes follow. */
function parseHead(line: Buffer): { spec: Record<string, unknown>; bodyLength: number | null } {
  const { bodyLength, ...spec } = JSON.parse(line.toString("utf8")) as Record<string, unknown>;
  return { spec, bodyLength: typeof bodyLength === "number" ? bodyLength : null };
}

/** Reads one frame from `input` (the client's stdin), then stops reading it. */
export function receiveSpec(input: Readable = process.stdin): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let head: ReturnType<typeof parseHead> | null = null;
    let bodyFrom = 0;
    const finish = (error: Error | null, spec?: Record<string, unknown>) => {
      input.off("data", onData);
      input.off("end", onEnd);
      input.pause();
      if (error) reject(error);
      else resolve(spec!);
    };
    const onData = (d: Buffer) => {
      const newline = head === null ? d.indexOf(10) : -1;
      chunks.push(d);
      total += d.length;
      if (total > READ_LIMITS.clientSpec) return finish(new Error(`the request spec on stdin exceeds ${READ_LIMITS.clientSpec} bytes`));
      try {
        if (newline >= 0) {
          bodyFrom = total - d.length + newline + 1;
          head = parseHead(Buffer.concat(chunks, total).subarray(0, bodyFrom - 1));
        }
        // The body is joined once, when all of it is here (joining per chunk would copy 64 MiB
        // a thousand times).
        if (head === null || total < bodyFrom + (head.bodyLength ?? 0)) return;
        if (head.bodyLength !== null) {
          head.spec["body"] = Buffer.concat(chunks, total)
            .subarray(bodyFrom, bodyFrom + head.bodyLength)
            .toString("latin1");
        }
        finish(null, head.spec);
      } catch (e) {
        finish(e instanceof Error ? e : new Error(String(e)));
      }
    };
    const onEnd = () => finish(new Error("stdin ended before the whole request spec arrived"));
    input.on("data", onData);
    input.on("end", onEnd);
  });
}
