// Requests per client CPU-second: the native generator (epoll and io_uring backends) against
// wrk, side by side in one run, against the C floor. Server pinned to CPU 1, client to CPU 0,
// one client thread, 16 connections, GET /plaintext; the generators alternate inside each
// repetition so that machine noise spreads over all of them. Ratios in one run are what to read.
//   node native/bench/loadgen-cpu.mjs [seconds=5] [repetitions=3] [pipeline=1]
// Needs: npm run build:addon (with liburing for io_uring), the c-floor (npm ci builds it), wrk.
import { execFileSync, spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const seconds = Number(process.argv[2] ?? 5);
const reps = Number(process.argv[3] ?? 3);
const pipeline = Number(process.argv[4] ?? 1);
const port = 20000 + Math.floor(Math.random() * 40000);

function cpuOf(pid) {  // user + system seconds of a process, from /proc
  const f = execFileSync("cat", [`/proc/${pid}/stat`]).toString().split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
}

const server = spawn("taskset", ["-c", "1", `${root}/build/targets/c-floor/floor`, "--port", String(port), "--threads", "1"]);
await new Promise((r) => server.stdout.once("data", r));

// The native generator in its own process, measuring its own CPU time around run().
function native(backend) {
  const code = `
    const a = require(${JSON.stringify(`${root}/build/Release/evbench_native.node`)});
    const g = new a.LoadGen({ host: "127.0.0.1", port: ${port}, connections: 16, threads: 1, pipeline: ${pipeline}, rate: null,
      keepAlive: true, fastOpen: false, method: "GET", path: "/plaintext", headers: {}, bodyBytes: 0, echo: false,
      warmupS: 0, durationS: ${seconds}, timeoutMs: 2000, cpus: [0], backend: "${backend}" });
    const c0 = process.cpuUsage();
    g.run().then((r) => { const c = process.cpuUsage(c0);
      console.log(JSON.stringify({ requests: r.completedTotal, cpuS: (c.user + c.system) / 1e6, errors: r.failed })); });`;
  const out = execFileSync("taskset", ["-c", "0", "node", "-e", code]).toString();
  return JSON.parse(out);
}

function wrk() {
  const args = ["-c", "0", "wrk", "-t1", "-c16", `-d${seconds}s`, `http://127.0.0.1:${port}/plaintext`];
  if (pipeline > 1) throw new Error("wrk pipelining needs its Lua script; use pipeline 1 here");
  const child = spawn("taskset", args);
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  let cpu = 0;
  const poll = setInterval(() => { try { cpu = cpuOf(child.pid); } catch { /* exited */ } }, 50);
  return new Promise((res) => child.on("exit", () => {
    clearInterval(poll);
    const requests = Number(/(\d+) requests in/.exec(out)[1]);
    res({ requests, cpuS: cpu, errors: /Socket errors/.test(out) ? out : 0 });
  }));
}

const rows = { "native epoll": [], "native io_uring": [], wrk: [] };
for (let i = 0; i < reps; i++) {
  rows["native epoll"].push(native("epoll"));
  rows["native io_uring"].push(native("io_uring"));
  rows.wrk.push(await wrk());
}
server.kill();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perCpu = {};
for (const [name, runs] of Object.entries(rows)) {
  perCpu[name] = median(runs.map((r) => r.requests / r.cpuS));
  const rps = median(runs.map((r) => r.requests / seconds));
  console.log(`${name.padEnd(16)} ${Math.round(rps).toString().padStart(8)} req/s  ${Math.round(perCpu[name]).toString().padStart(8)} req/client-CPU-s  (runs: ${runs.map((r) => Math.round(r.requests / r.cpuS)).join(", ")})`);
}
console.log(`io_uring / wrk: ${(perCpu["native io_uring"] / perCpu.wrk).toFixed(2)}x   epoll / wrk: ${(perCpu["native epoll"] / perCpu.wrk).toFixed(2)}x   io_uring / epoll: ${(perCpu["native io_uring"] / perCpu["native epoll"]).toFixed(2)}x`);
