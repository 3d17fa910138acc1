// A run without the privileges eBPF needs (as nobody) says why the kernel probes are unavailable
// and measures everything else: the run is recorded ok, with its rate and latency.
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parseResultFile } from "../src/results/upgrade.js";

const exec = promisify(execFile);
const root = process.getuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), "ebpf-unpriv-"));
chmodSync(dir, 0o777);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!root)("kernel probes without privileges", () => {
  it("records the reason and measures the rest", async () => {
    const out = join(dir, "quick.json");
    const asNobody = ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", process.execPath];
    // Exit 1 is a run judged invalid (a busy machine can do that to a 1 s run): the file still says what we check.
    const code = await exec("setpriv", [...asNobody, "dist/cli.js", "bench", "quick", "-d", "1", "--warmup", "0.5", "-q", "--out", out], {
      env: { ...process.env, EVBENCH_RESULTS_DIR: dir },
    }).then(
      () => 0,
      (e: { code?: number }) => e.code ?? -1,
    );
    expect([0, 1]).toContain(code);
    const r = parseResultFile(JSON.parse(readFileSync(out, "utf8")));
    const run = r.runs[0]!;
    expect(run.status).toBe("ok");
    if (run.status !== "ok") return;
    expect(run.rps).toBeGreaterThan(0);
    expect(run.kernel?.status).toBe("unavailable");
    if (run.kernel?.status === "unavailable") expect(run.kernel.reason).toMatch(/root, or CAP_BPF/);
  }, 60_000);
});
