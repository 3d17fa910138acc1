#!/usr/bin/env node
// Connections opened per client CPU-second: the native generator's load threads against the
// held-out floor (conn-floor.c), side by side against one server, alternating which goes first,
// 3 rounds; both bound to a loopback source address (a fresh one per run), both pinned to CPU 0,
// the server to CPU 1.
// The floor's CPU is its process's until all its connects finished; the generator's, its load
// threads' until all their connections were open (connect.rampCpuS: without Node's start-up,
// which the floor does not have either).
//   node bench/conn-floor/compare.mjs [connections=10000] [rounds=3]
// Needs a built tree (npm run build, npm run build:addon) and cc.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const connections = Number(process.argv[2] ?? 10000);
const rounds = Number(process.argv[3] ?? 3);
const floorBin = join(root, "build", "bench", "conn-floor");
mkdirSync(dirname(floorBin), { recursive: true });
execFileSync("cc", ["-O2", "-o", floorBin, join(root, "bench", "conn-floor", "conn-floor.c")], { stdio: "inherit" });

function lastJsonLine(text) {
  const line = text
    .trim()
    .split("\n")
    .reverse()
    .find((l) => l.startsWith("{"));
  return line ? JSON.parse(line) : null;
}

/** `input`: written to its stdin, which stays open until it exits (the native client's spec frame). */
function run(cmd, args, input = null) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: [input === null ? "ignore" : "pipe", "pipe", "inherit"] });
    if (input !== null) p.stdin.write(input);
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.once("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`))));
  });
}

async function startServer() {
  const bin = join(root, "build", "targets", "native-standalone", "native-standalone");
  const p = spawn("taskset", ["-c", "1", bin, "--port", "0"], { stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise((resolve) => createInterface({ input: p.stdout }).once("line", resolve));
  return { port: Number(String(line).split(" ")[1]), stop: () => p.stdin.end() };
}

async function floor(port, source) {
  const r = lastJsonLine(
    await run("taskset", ["-c", "0", floorBin, "--port", String(port), "--connections", String(connections), "--sources", source]),
  );
  return { opened: r.opened, cpuS: r.cpuS, wallS: r.wallS };
}

async function generator(port, source) {
  // Every connection held, none sending: only the ramp costs anything.
  const spec = {
    host: "127.0.0.1",
    port,
    connections,
    threads: 1,
    pipeline: 1,
    rate: null,
    keepAlive: true,
    fastOpen: false,
    echo: false,
    method: "GET",
    path: "/plaintext",
    headers: {},
    bodyBytes: 0,
    warmupS: 0,
    durationS: 2,
    timeoutMs: 10000,
    cpus: null,
    active: 0,
    sourceAddresses: [source],
  };
  // The client reads its spec on stdin (src/load/spec-pipe.ts: one JSON line, no body here).
  const out = await run(
    "taskset",
    ["-c", "0", process.execPath, join(root, "dist", "bin", "native-client.js")],
    `${JSON.stringify({ ...spec, bodyLength: null })}\n`,
  );
  const msg = out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l))
    .find((m) => m.type === "result");
  const k = msg.result.connect;
  return { opened: k.firstOpened, cpuS: k.rampCpuS, wallS: k.rampS };
}

const server = await startServer();
const ratios = [];
try {
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? ["floor", "generator"] : ["generator", "floor"];
    const got = {};
    for (const [i, who] of order.entries()) {
      // A fresh source address for every run: the previous run's connections wait in TIME_WAIT
      // on theirs, and the kernel's port search past them would be charged to whoever came next.
      const source = `127.0.${Math.floor(Date.now() / 1000) % 200}.${10 + 2 * round + i}`;
      got[who] = who === "floor" ? await floor(server.port, source) : await generator(server.port, source);
    }
    const perCpu = (x) => (x.cpuS > 0 && x.opened === connections ? x.opened / x.cpuS : null);
    const f = perCpu(got.floor),
      g = perCpu(got.generator);
    const ratio = f && g ? g / f : null;
    if (ratio !== null) ratios.push(ratio);
    console.log(
      `round ${round} (${order.join(" then ")}): floor ${got.floor.opened} in ${got.floor.wallS.toFixed(3)} s, ${f ? Math.round(f) : "-"} per CPU-s; generator ${got.generator.opened} in ${got.generator.wallS.toFixed(3)} s, ${g ? Math.round(g) : "-"} per CPU-s; generator/floor ${ratio ? ratio.toFixed(3) : "-"}`,
    );
  }
} finally {
  server.stop();
}
ratios.sort((a, b) => a - b);
const median = ratios.length ? ratios[Math.floor(ratios.length / 2)] : null;
console.log(
  `connections opened per client CPU-second, generator/floor: ${ratios.map((r) => r.toFixed(3)).join(", ")} (median ${median ? median.toFixed(3) : "-"}; goal >= 0.9)`,
);
