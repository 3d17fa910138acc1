// Run-queue latency against a known cause: a process that sleeps 1 ms at a time on CPU 1, alone
// and then beside a busy competitor at a higher weight (nice -15) on the same CPU. Beside it,
// each wake-up has to wait for the competitor's slice, so its measured waits must rise
// (its p99 at least twice: the median mostly measures wake-ups that found the CPU idle).
// The sleeper forks a shell per sleep, so the probe must also follow a traced process's children.
// Preemption against a known cause: a traced spinner never blocks, so beside the same competitor
// every switch out is one while still runnable. (A sleeper beside it need not be preempted at all:
// under two CPU hogs its short runs fitted their slices, 0 preemptions, while its p99 rose 29x.)
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { kernelProbesAvailability } from "../src/kernel/availability.js";
import { startKernelProbes } from "../src/kernel/probes.js";
import type { KernelWindow } from "../src/model/index.js";

const available = kernelProbesAvailability();
const started: ChildProcess[] = [];

function pinned(args: string[]): ChildProcess {
  const c = spawn("taskset", ["-c", "1", ...args], { stdio: "ignore" });
  started.push(c);
  return c;
}

async function tracedWindow(script: string, ms: number): Promise<KernelWindow> {
  const traced = pinned(["sh", "-c", script]);
  const probes = await startKernelProbes({ pids: [traced.pid!] });
  await new Promise((r) => setTimeout(r, ms));
  const k = await probes.stop();
  traced.kill("SIGKILL");
  return k;
}

const SLEEPER = "while :; do sleep 0.001; done";
const SPINNER = "while :; do :; done";
const competitor = () => pinned(["nice", "-n", "-15", "sh", "-c", SPINNER]);

afterEach(() => {
  for (const c of started.splice(0)) c.kill("SIGKILL");
});

describe.skipIf(!available.ok)("kernel probes: run-queue latency", () => {
  it("rises when a busy competitor shares the CPU", async () => {
    const alone = await tracedWindow(SLEEPER, 1500);
    competitor();
    const crowded = await tracedWindow(SLEEPER, 1500);
    expect(alone.status).toBe("measured");
    expect(crowded.status).toBe("measured");
    if (alone.status !== "measured" || crowded.status !== "measured") return;
    console.log(
      `run-queue p50/p99 alone ${alone.runQueue.p50Us}/${alone.runQueue.p99Us} us, beside a competitor ${crowded.runQueue.p50Us}/${crowded.runQueue.p99Us} us`,
    );
    // Hundreds of wake-ups each (a sleep and a fork per millisecond or so).
    expect(alone.runQueue.samples).toBeGreaterThan(100);
    expect(crowded.runQueue.samples).toBeGreaterThan(20);
    expect(crowded.runQueue.p99Us).toBeGreaterThan(2 * alone.runQueue.p99Us);
  }, 30_000);

  it("counts a traced spinner's switches out beside a competitor as preemptions", async () => {
    competitor();
    const k = await tracedWindow(SPINNER, 1000);
    expect(k.status).toBe("measured");
    if (k.status !== "measured") return;
    console.log(`spinner beside a competitor: ${k.runQueue.preempted} preempted, ${k.runQueue.voluntary} voluntary`);
    expect(k.runQueue.preempted).toBeGreaterThan(0);
    expect(k.runQueue.preempted).toBeGreaterThan(k.runQueue.voluntary);
  }, 30_000);
});
