// `load` finds a local server by its listening socket and samples its threads: a process that
// listens and then spins is found by its port, uses about what the scheduler gave it, and has one
// busy thread (an allotment of one CPU, whatever the machine has).
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

import { describe, expect, it } from "vitest";

import { listenerPid, listeningInodes, processGroup } from "../src/probe/listener.js";
import { GroupSampler } from "../src/probe/sampler.js";
import { ThreadWindow } from "../src/probe/thread-window.js";

describe("the local server behind a port", () => {
  it("reads LISTEN sockets of a port from a /proc/net/tcp table", () => {
    const table = [
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0",
      "   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0 100 0 0 10 0",
    ].join("\n");
    expect(listeningInodes(table, 8080)).toEqual(["4242"]);
    expect(listeningInodes(table, 8081)).toEqual([]);
  });

  it("finds a listening process by its port and samples its busy thread", async () => {
    const code = "const s=require('http').createServer(()=>{});s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);for(;;){}})";
    const child = spawn(process.execPath, ["-e", code], { detached: true, stdio: ["ignore", "pipe", "ignore"] });
    try {
      const port = Number(await new Promise<string>((r) => createInterface({ input: child.stdout! }).once("line", r)));
      expect(listenerPid(port)).toBe(child.pid);
      const pgid = processGroup(child.pid!)!;
      const sampler = new GroupSampler(pgid);
      const w = new ThreadWindow(child.pid!, pgid);
      sampler.windowStart();
      w.open();
      await new Promise((r) => setTimeout(r, 1500));
      const server = w.close()!;
      const group = sampler.windowEnd();
      expect(server.allotmentPct).toBe(100);
      expect(Math.abs(server.cpuPct - group.cpuPct)).toBeLessThan(8);
    } finally {
      process.kill(-child.pid!, "SIGKILL");
    }
  }, 20_000);
});
