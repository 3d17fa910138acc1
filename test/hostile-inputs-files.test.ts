// Every file the harness reads, given something hostile (issue 28): a device (/dev/zero), a fifo
// nobody writes, a socket, a folder, a regular file past its limit, and a file whose size says 0
// but whose reading never ends (/proc/self/pagemap). Each is refused with one line and exit 2,
// quickly and without reading it into memory; a fifo never blocks the process.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { READ_LIMITS } from "../src/io/limits.js";
import { measureCli, oneLine, type MeasuredCli } from "./helpers/hostile-cli.js";

const URL = "http://127.0.0.1:9/";
let work = "";
let socketServer: net.Server;
let baseline: MeasuredCli;

/** Each command that reads a file the user names, with the file in its place. */
const READERS: Record<string, (f: string) => string[]> = {
  "load --body-file": (f) => ["load", URL, "--body-file", f, "-m", "POST"],
  "bench <scenario>": (f) => ["bench", f],
  "hist merge": (f) => ["hist", "merge", f, f],
  compare: (f) => ["compare", f, f],
};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "evb-hostile-inputs-"));
  execFileSync("mkfifo", [join(work, "fifo")]);
  socketServer = net.createServer();
  await new Promise<void>((r) => socketServer.listen(join(work, "sock"), r));
  // The same refusal for a missing file: reads nothing, so its time and memory are the floor.
  baseline = await measureCli(READERS["load --body-file"]!(join(work, "missing")));
});

afterAll(async () => {
  await new Promise<void>((r) => socketServer.close(() => r()));
  rmSync(work, { recursive: true, force: true });
});

describe("special files are refused before they are read", () => {
  const cases: [string, () => string, RegExp][] = [
    ["/dev/zero", () => "/dev/zero", /is a device; give a regular file/],
    ["a fifo no one writes", () => join(work, "fifo"), /is a fifo \(named pipe\); give a regular file/],
    ["a socket", () => join(work, "sock"), /is a socket; give a regular file/],
    ["a folder", () => work, /is a folder; give a (regular )?file/],
  ];
  for (const [command, argv] of Object.entries(READERS)) {
    for (const [name, path, message] of cases) {
      it(`${command} ${name}: one line, exit 2, within a second of the baseline, memory unchanged`, async () => {
        const r = await measureCli(argv(path()), { timeoutMs: 20_000 });
        expect(r.code, r.stderr).toBe(2);
        expect(oneLine(r.stderr), r.stderr).toBe(true);
        expect(r.stderr).toMatch(message);
        expect(r.elapsedMs - baseline.elapsedMs).toBeLessThan(1000);
        expect(r.peakRssKiB - baseline.peakRssKiB).toBeLessThan(16 * 1024);
      });
    }
  }
});

describe("files past their limit are refused while read", () => {
  const sparse = (name: string, bytes: number) => {
    const f = join(work, name);
    writeFileSync(f, "");
    truncateSync(f, bytes); // sparse: no disk used, but stat and read see every byte
    return f;
  };

  it("a body of 64 MiB + 1 byte", async () => {
    const r = await measureCli(READERS["load --body-file"]!(sparse("body.bin", READ_LIMITS.body + 1)));
    expect(r.code, r.stderr).toBe(2);
    expect(oneLine(r.stderr), r.stderr).toBe(true);
    expect(r.stderr).toMatch(/larger than 64\.0 MiB, the limit for this input/);
  });

  it("a scenario and a result file past theirs", async () => {
    const scenario = await measureCli(READERS["bench <scenario>"]!(sparse("big.json", READ_LIMITS.scenario + 1)));
    expect(scenario.code, scenario.stderr).toBe(2);
    expect(scenario.stderr).toMatch(/scenario .*big\.json: larger than 4\.00 MiB/);
    const result = await measureCli(READERS.compare!(sparse("big-result.json", READ_LIMITS.result + 1)));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/result file .*big-result\.json: larger than 256 MiB/);
    expect(result.peakRssKiB - baseline.peakRssKiB).toBeLessThan(16 * 1024);
  });

  it("a file that says it is empty but never ends (/proc/self/pagemap) stops at the limit", async () => {
    const r = await measureCli(READERS["load --body-file"]!("/proc/self/pagemap"));
    expect(r.code, r.stderr).toBe(2);
    expect(oneLine(r.stderr), r.stderr).toBe(true);
    expect(r.stderr).toMatch(/larger than 64\.0 MiB/);
    // At most the limit and one chunk were held (plus the garbage of reading): not the file.
    expect(r.peakRssKiB - baseline.peakRssKiB).toBeLessThan(3 * 64 * 1024);
  });
});
