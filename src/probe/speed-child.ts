// The machine-speed probe's worker (src/probe/speed.ts starts it pinned to one CPU with taskset,
// once per CPU for the whole bench): for every line on stdin, a fixed CPU-bound loop and loopback
// round trips, each timed, answered as one JSON line; stdin's end is its exit (it never outlives
// its runner). Kept alive between probes, blocked on stdin (no CPU), because starting Node for
// each probe cost ten times the probe's own work on a busy machine (docs/architecture.md). Fixed
// work, so a slower answer means a slower machine, never a different task. The loop's wall time
// is what a target on this CPU would feel; its CPU time tells the two causes apart: the work
// itself slower (a slow phase of the host: frequency, caches, a busy SMT sibling) or the CPU
// shared (another process runnable beside it). About 45 ms of work after start-up (3 tries of 15 ms): each several
// scheduler slices, so a process sharing the CPU shows (a shorter probe runs in its first slice,
// which the scheduler gives a newly woken task at once, and sees nothing).
import { connect, createServer, type Socket } from "node:net";

/** Iterations of the loop: about 1 ms on this project's machine kind (AMD EPYC, 2 cores). */
const LOOP_ITERATIONS = 400_000;
const LOOP_REPS = 20;
const LOOP_TRIES = 3;
const ROUND_TRIPS = 40;
const PING = Buffer.alloc(64, 1);

/** xorshift32: integer work the JIT cannot fold away, since its result is printed. */
function spin(seed: number): number {
  let x = seed | 1;
  for (let i = 0; i < LOOP_ITERATIONS; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const micros = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1000;

/** The loop's wall and CPU time over LOOP_REPS chunks, after one untimed (JIT) chunk; the best
 *  of LOOP_TRIES: another process's burst slows one try, a lasting share of the CPU slows all. */
function loopTimes(): { wallUs: number; cpuUs: number; check: number } {
  let check = spin(7);
  let best = { wallUs: Number.POSITIVE_INFINITY, cpuUs: 0 };
  for (let t = 0; t < LOOP_TRIES; t++) {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < LOOP_REPS; r++) check ^= spin(r + 11);
    const wallUs = micros(t0);
    const cpu = process.cpuUsage(cpu0);
    if (wallUs < best.wallUs) best = { wallUs, cpuUs: cpu.user + cpu.system };
  }
  return { ...best, check };
}

function exchange(client: Socket): Promise<number> {
  return new Promise((resolve) => {
    let got = 0;
    const t0 = process.hrtime.bigint();
    const onData = (b: Buffer) => {
      got += b.length;
      if (got < PING.length) return;
      client.off("data", onData);
      resolve(micros(t0));
    };
    client.on("data", onData);
    client.write(PING);
  });
}

async function roundTripMedianUs(): Promise<number> {
  const server = createServer((s) => s.on("data", (b) => s.write(b)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  const client = connect(port, "127.0.0.1");
  client.setNoDelay(true);
  await new Promise<void>((r) => client.once("connect", r));
  const times: number[] = [];
  for (let i = 0; i < ROUND_TRIPS + 5; i++) {
    const us = await exchange(client);
    if (i >= 5) times.push(us); // the first few warm the path and the JIT
  }
  client.destroy();
  server.close();
  return median(times);
}

async function probe(): Promise<string> {
  const loop = loopTimes();
  const roundTripUs = await roundTripMedianUs();
  return `${JSON.stringify({ loopWallUs: loop.wallUs, loopCpuUs: loop.cpuUs, roundTripUs, check: loop.check })}\n`;
}

// One probe per line asked, in order; a probe never overlaps another on this CPU.
let queue = Promise.resolve();
let pending = "";
process.stdin.on("data", (b: Buffer) => {
  pending += b.toString("latin1");
  let nl = pending.indexOf("\n");
  while (nl >= 0) {
    pending = pending.slice(nl + 1);
    queue = queue.then(async () => void process.stdout.write(await probe()));
    nl = pending.indexOf("\n");
  }
});
process.stdin.on("end", () => process.exit(0));
