// The RSS swing of a measurement window (T1's madvdontneed claim is about it): a process that
// touches 64 MiB in the middle of the window swings by about that much; one that holds its
// memory steady barely swings. Real processes, sampled from /proc at 10 Hz.
import { spawn } from "node:child_process";

import { describe, expect, it } from "vitest";

import { GroupSampler } from "../src/probe/sampler.js";

const MiB = 1 << 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function windowOf(code: string, waitMs: number, windowMs: number) {
  const child = spawn(process.execPath, ["-e", code], { detached: true, stdio: "ignore" });
  try {
    await sleep(waitMs);
    const s = new GroupSampler(child.pid!);
    s.start();
    s.windowStart();
    await sleep(windowMs);
    const w = s.windowEnd();
    s.stop();
    return w;
  } finally {
    process.kill(-child.pid!, "SIGKILL");
  }
}

describe("RSS swing over the window", () => {
  it("sees a 64 MiB step inside the window as a swing of about 64 MiB", async () => {
    // the step comes 1 s after start: the window opens at 0.6 s and lasts 1.4 s
    const w = await windowOf(
      "setTimeout(() => { globalThis.b = Buffer.alloc(64 << 20, 1); }, 1000); setInterval(() => {}, 1000);",
      600,
      1400,
    );
    expect(w.rssSwingBytes).toBeGreaterThan(56 * MiB);
    expect(w.rssSwingBytes).toBeLessThan(200 * MiB);
    expect(w.rssStdBytes).toBeGreaterThan(10 * MiB);
    expect(w.rssStdBytes).toBeLessThanOrEqual(w.rssSwingBytes / 2 + 1); // a population sd is at most half the range
    expect(w.samples).toBeGreaterThan(5);
  }, 20_000);

  it("sees a process that holds its memory steady barely swing", async () => {
    const w = await windowOf("globalThis.b = Buffer.alloc(64 << 20, 1); setInterval(() => {}, 1000);", 800, 1000);
    expect(w.rssPeakBytes).toBeGreaterThan(60 * MiB);
    expect(w.rssSwingBytes).toBeLessThan(8 * MiB);
    expect(w.rssStdBytes).toBeLessThan(4 * MiB);
  }, 20_000);
});
