// Accept-queue overflow against a known cause: a listener with a backlog of 1 that never
// accepts, and 16 clients connecting at once from another namespace. The kernel drops the SYNs
// that find the queue full (ListenOverflows in the server's namespace). It frees such a SYN as
// consumed, not dropped (tcp_conn_request returns 0 and the caller calls consume_skb), so
// skb:kfree_skb never sees it and the probe's SYN drops stay 0 here: what the probe sees is the
// consequence, the clients' SYNs sent again and the connects that never completed, each of the
// 16 either established or failed.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelProbesAvailability } from "../src/kernel/availability.js";
import { startKernelProbes } from "../src/kernel/probes.js";
import { makePair, tcpCounters, type NetnsPair } from "./helpers/kernel-netns.js";

const CONNECTIONS = 16;
const LISTENER =
  "import socket,sys,time\ns=socket.socket()\ns.bind((sys.argv[1],0))\ns.listen(1)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(30)";
const CLIENTS = `const net=require("net");for(let i=0;i<${CONNECTIONS};i++)net.connect(+process.argv[2],process.argv[1]).on("error",()=>{});setTimeout(()=>process.exit(0),2500)`;

describe.skipIf(!kernelProbesAvailability().ok)("kernel probes: accept-queue overflow", () => {
  let pair: NetnsPair;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    pair = await makePair("a");
  });
  afterAll(async () => {
    for (const c of children) c.kill("SIGKILL");
    await pair?.remove();
  });

  it("counts the SYNs sent again and the connects a full accept queue failed", async () => {
    const listener = spawn("ip", ["netns", "exec", pair.server, "python3", "-c", LISTENER, pair.serverAddress], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(listener);
    const port = await new Promise<number>((resolve) =>
      listener.stdout!.setEncoding("utf8").once("data", (d: string) => resolve(Number(d.trim()))),
    );
    const before = await tcpCounters(pair.server);
    const probes = await startKernelProbes({ ports: [port] });
    const clients = spawn("ip", ["netns", "exec", pair.client, process.execPath, "-e", CLIENTS, pair.serverAddress, String(port)], {
      stdio: "ignore",
    });
    children.push(clients);
    await new Promise((r) => clients.on("exit", r));
    const kernel = await probes.stop();
    const after = await tcpCounters(pair.server);
    const listenDrops = after["ListenDrops"]! - before["ListenDrops"]!;
    expect(kernel.status).toBe("measured");
    if (kernel.status !== "measured") return;
    expect(listenDrops).toBeGreaterThan(0);
    expect(kernel.tcp.synRetransmits).toBeGreaterThan(0);
    expect(kernel.connections.active).toBeGreaterThan(0);
    expect(kernel.connections.failed).toBeGreaterThan(0);
    expect(kernel.connections.active + kernel.connections.failed).toBe(CONNECTIONS);
  }, 30_000);
});
