#!/usr/bin/env node
// What the eBPF kernel probes cost (issue 26): req/s of one target with the probes attached
// (filtered to its process group and port, as a bench window does) and without, alternating
// on, off, off, on, ... in one run, server on CPU 1 and client on CPU 0; each neighbouring
// on/off pair gives a ratio (the machine's drift cancels within a pair), and their median is
// the figure. On a busy machine that ratio is noise; the direct figure is the probes' own CPU
// time from the kernel's BPF statistics (kernel.bpf_stats_enabled is set to 1 for the run and
// put back after), per request and as a share of the server's CPU time over the same span.
//   node scripts/kernel-overhead.mjs <target> [pipeline] [pairs] [seconds]
import { spawn, execFile } from "node:child_process";
import { promisify } from "node:util";
import { startKernelProbes } from "../dist/kernel/probes.js";
import { listenerPid, processGroup } from "../dist/probe/listener.js";
import { readFileSync, writeFileSync } from "node:fs";
import { groupPids, sampleGroup } from "../dist/probe/proc.js";

const exec = promisify(execFile);
const [target = "c-floor", pipeline = "16", pairs = "3", seconds = "4"] = process.argv.slice(2);

function startTarget() {
  const child = spawn(process.execPath, ["dist/cli.js", "target", target, "--port", "0", "--cpus", "1"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (d) => {
      out += d;
      const m = /READY (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    };
    child.stdout.setEncoding("utf8").on("data", onData);
    child.stderr.setEncoding("utf8").on("data", onData);
    child.on("exit", () => reject(new Error(`${target} exited: ${out}`)));
  });
}

async function load(port) {
  const args = [
    "dist/cli.js",
    "load",
    `http://127.0.0.1:${port}/plaintext`,
    "-c",
    "16",
    "--pipeline",
    pipeline,
    "-d",
    seconds,
    "--cpus",
    "0",
    "--json",
  ];
  const { stdout } = await exec(process.execPath, args, { maxBuffer: 1 << 26 });
  return JSON.parse(stdout).rps;
}

const STATS = "/proc/sys/kernel/bpf_stats_enabled";
const statsBefore = readFileSync(STATS, "utf8").trim();
writeFileSync(STATS, "1");
process.on("exit", () => writeFileSync(STATS, statsBefore));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const { child, port } = await startTarget();
const server = listenerPid(port);
const pgid = server === null ? null : processGroup(server);
const pids = pgid === null ? [] : groupPids(pgid);
const on = [],
  off = [],
  probeShare = [],
  probeNsPerReq = [];
for (let i = 0; i < 2 * Number(pairs); i++) {
  const withProbes = i % 4 === 0 || i % 4 === 3;
  const probes = withProbes ? await startKernelProbes({ pids, ports: [port] }) : null;
  const cpuBefore = sampleGroup(pgid, pids).cpuSeconds;
  const rps = await load(port);
  const serverCpuS = sampleGroup(pgid, pids).cpuSeconds - cpuBefore;
  const k = probes ? await probes.stop() : null;
  if (k && k.status !== "measured") throw new Error(`probes unavailable: ${k.reason}`);
  if (k) {
    probeShare.push((k.cost.runTimeNs / 1e9 / serverCpuS) * 100);
    probeNsPerReq.push(k.cost.runTimeNs / (rps * Number(seconds)));
  }
  (withProbes ? on : off).push(rps);
  process.stderr.write(`${withProbes ? "on " : "off"} ${rps.toFixed(0)} req/s${k ? `, run-queue samples ${k.runQueue.samples}` : ""}\n`);
}
child.kill("SIGTERM");
const pairRatios = on.map((v, i) => v / off[i]);
const ratio = median(pairRatios);
console.log(
  JSON.stringify({
    target,
    pipeline: Number(pipeline),
    seconds: Number(seconds),
    on,
    off,
    pairRatios,
    ratio,
    costPct: (1 - ratio) * 100,
    probeCpuPctOfServer: probeShare,
    probeNsPerRequest: probeNsPerReq,
  }),
);
