// Run on a host of the ssh topology: finds the process started there with EVBENCH_MARK=<mark> in
// its environment (the newest, waiting up to 20 s), then prints its process group's CPU seconds and
// RSS ten times a second as `S <cpuSeconds> <rssBytes> <processes>` until stdin closes. Without a
// mark, it streams the host's kernel TCP counters instead, `T <json>` ten times a second: a fresh
// ssh per reading would take longer than a window edge may drift.
import { readdirSync, readFileSync, statSync } from "node:fs";

import { sampleGroup } from "../probe/proc.js";
import { parseProcNet, pickTcpCounters } from "../topology/tcp-counters.js";

function findMarked(mark: string): number | null {
  const want = `EVBENCH_MARK=${mark}`;
  let best: { pid: number; t: number } | null = null;
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (!readFileSync(`/proc/${d}/environ`, "latin1").split("\0").includes(want)) continue;
      const t = statSync(`/proc/${d}`).ctimeMs;
      if (!best || t > best.t) best = { pid: Number(d), t };
    } catch {
      // gone, or not ours to read
    }
  }
  return best?.pid ?? null;
}

const mark = process.argv[2] ?? "";
const deadline = Date.now() + 20_000;
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
const tcpLine = () =>
  `T ${JSON.stringify(pickTcpCounters(parseProcNet(readFileSync("/proc/net/snmp", "utf8") + readFileSync("/proc/net/netstat", "utf8"))))}\n`;
if (mark === "") {
  // No process to follow: the host's TCP counters only.
  process.stdout.write(tcpLine());
  setInterval(() => process.stdout.write(tcpLine()), 100);
} else {
  const look = setInterval(() => {
    const pid = findMarked(mark);
    if (pid === null) {
      if (Date.now() > deadline) {
        process.stdout.write(`E no process with EVBENCH_MARK=${mark}\n`);
        process.exit(1);
      }
      return;
    }
    clearInterval(look);
    process.stdout.write(`P ${pid}\n`);
    const tick = () => {
      const s = sampleGroup(pid);
      process.stdout.write(`S ${s.cpuSeconds} ${s.rssBytes} ${s.pids.length}\n`);
    };
    tick();
    setInterval(tick, 100);
  }, 50);
}
