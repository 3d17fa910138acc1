// `load --body-file` up to its 64 MiB limit (issue 28): the body travels to the client process on
// its stdin (src/load/spec-pipe.ts), not on its command line, where 128 KiB failed with E2BIG.
// A real HTTP server on loopback hashes every body it receives; each must be the file, byte for byte.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { READ_LIMITS } from "../src/io/limits.js";
import { measureCli, oneLine } from "./helpers/hostile-cli.js";
import { startHttpFixture, type HttpFixture } from "./helpers/http-fixture.js";

let work = "";
let server: HttpFixture;
let received: { bytes: number; sha256: string }[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "evb-hostile-body-"));
  server = await startHttpFixture((req, res) => {
    const h = createHash("sha256");
    let bytes = 0;
    req.on("data", (d: Buffer) => {
      bytes += d.length;
      h.update(d);
    });
    req.on("end", () => {
      received.push({ bytes, sha256: h.digest("hex") });
      res.end("ok");
    });
  });
});

afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

async function sendBody(bytes: number) {
  const body = randomBytes(bytes);
  const file = join(work, `body-${bytes}.bin`);
  writeFileSync(file, body);
  received = [];
  const url = `http://127.0.0.1:${server.port}/`;
  const r = await measureCli(
    ["load", url, "-n", "2", "-c", "1", "--warmup", "0", "-m", "POST", "--body-file", file, "--timeout", "60s", "-q", "--json"],
    { timeoutMs: 120_000 },
  );
  return { r, sha256: createHash("sha256").update(body).digest("hex") };
}

describe("load --body-file sizes", () => {
  for (const [name, bytes] of [
    ["1 MiB", 1 << 20],
    ["64 MiB (the limit)", READ_LIMITS.body],
  ] as const) {
    it(`a body of ${name} arrives whole with every request`, async () => {
      const { r, sha256 } = await sendBody(bytes);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).requests).toBe(2);
      expect(received.length).toBeGreaterThanOrEqual(2);
      expect(received.every((b) => b.bytes === bytes && b.sha256 === sha256)).toBe(true);
    }, 180_000);
  }

  it("a body of 64 MiB + 1 byte is refused before anything is sent", async () => {
    const { r } = await sendBody(READ_LIMITS.body + 1);
    expect(r.code, r.stderr).toBe(2);
    expect(oneLine(r.stderr), r.stderr).toBe(true);
    expect(r.stderr).toMatch(/--body-file .*: larger than 64\.0 MiB, the limit for this input; give a smaller file/);
    expect(received).toEqual([]);
  });
});
