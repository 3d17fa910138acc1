// The native server's streamed chunked echo meets a bad chunk size (issue 28): the 200 head and
// the whole chunks before the error are already out, so the server must close after the last
// complete chunk. Writing a 400/413 there would put a second response inside the first one's
// body. Real processes on loopback: native (epoll, io_uring) and native-standalone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { nativeServerBackendUnavailable } from "../src/load/backend.js";
import { startTarget, type RunningTarget } from "../src/targets/process.js";
import { TARGETS } from "../src/targets/registry.js";
import { HOST, readUntilClose, servesAgain } from "./helpers/hostile.js";

const HEAD = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
const CASES = [
  { what: "a negative chunk size (the issue's repro)", body: "5\r\nhello\r\n-5\r\n", echoed: "5\r\nhello\r\n" },
  { what: "a chunk size that is not hex", body: "5\r\nhello\r\nzz\r\n", echoed: "5\r\nhello\r\n" },
  { what: "a chunk over the body limit (413)", body: "2\r\nab\r\nfffffffff\r\n", echoed: "2\r\nab\r\n" },
];

for (const name of ["native", "native-standalone"]) {
  for (const backend of ["epoll", "io_uring"] as const) {
    const def = TARGETS.find((d) => d.name === name)!;
    const skip = def.unavailableReason() ?? nativeServerBackendUnavailable(backend);
    describe.skipIf(skip !== null)(`chunked echo error: ${name} ${backend}${skip ? ` (skipped: ${skip})` : ""}`, () => {
      let t: RunningTarget;
      beforeAll(async () => {
        const args = ["--backend", backend, "--max-body-bytes", String(1 << 20)];
        t = await startTarget(def, { host: HOST, port: 0, threads: 1, mode: "http", env: {}, args, cpus: null, readyTimeoutMs: 15_000 });
      });
      afterAll(async () => {
        await t?.stop();
      });

      for (const c of CASES) {
        it(`${c.what}: the 200 head, the whole chunks, then the close; no second response`, async () => {
          const { got, closed } = await readUntilClose(t.port, HEAD + c.body);
          expect(closed, "the server closed the connection").toBe(true);
          const headEnd = got.indexOf("\r\n\r\n") + 4;
          expect(got.startsWith("HTTP/1.1 200 OK\r\n"), got).toBe(true);
          expect(got.slice(0, headEnd)).toContain("Transfer-Encoding: chunked\r\n");
          expect(got.slice(headEnd), "the body: the whole chunks before the error, no last chunk").toBe(c.echoed);
          expect(await servesAgain(t.port)).toBe(true);
        });
      }
    });
  }
}
