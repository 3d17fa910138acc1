// The netns topology on real namespaces (root and iproute2; skipped with the reason otherwise):
// namespaces made and removed, also after a crash and after a kill; a target placed in one
// answering a client in the other; the relay's delay and loss seen by TCP and counted; a bench
// run end to end with its network record; a clear refusal without root.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { parseResultFile } from "../src/results/upgrade.js";
import { findTarget } from "../src/targets/registry.js";
import { startTarget } from "../src/targets/process.js";
import { netnsUnavailableReason } from "../src/topology/ip.js";
import { listNamespaces, removeStale } from "../src/topology/namespaces.js";
import { openNetns } from "../src/topology/netns.js";
import { runCli, ROOT } from "./helpers/cli.js";

const why = netnsUnavailableReason();
const maybe = why ? describe.skip : describe;
if (why) console.warn(`netns tests skipped: ${why}`);

const HOSTS = { topology: "netns" as const, sysctls: {} };
const LINK = { delayMs: 15, jitterMs: 0, lossPct: 0, rateMbit: null, seed: 1 };

function ours(names: string[]): string[] {
  return names.filter((n) => n.startsWith(`evb-${process.pid}-`));
}

maybe("netns topology", () => {
  it("places a target and verifies it from the client's namespace; close removes both namespaces", async () => {
    const topo = await openNetns(HOSTS, null);
    expect(ours(await listNamespaces())).toHaveLength(2);
    const def = findTarget("native")!;
    const t = await startTarget(def, {
      host: topo.serverHost,
      port: 0,
      threads: 1,
      mode: "http",
      env: {},
      args: [],
      cpus: null,
      readyTimeoutMs: 20_000,
      place: topo.serverPlace,
    });
    try {
      const problems = await topo.verify(def, t.port, "http", { method: "GET", path: "/plaintext", bodyBytes: 0 });
      expect(problems).toEqual([]);
      // From here (the root namespace) the target's address is not reachable: it lives in its own.
      const here = spawnSync("bash", ["-c", `exec 3<>/dev/tcp/${topo.serverHost}/${t.port}`], { timeout: 3000 });
      expect(here.status).not.toBe(0);
    } finally {
      await t.stop();
      await topo.close();
    }
    expect(ours(await listNamespaces())).toEqual([]);
  });

  it("the relay's delay is in TCP's round trip and its loss is counted", async () => {
    const topo = await openNetns(HOSTS, LINK);
    try {
      const connectMs = () => {
        const r = spawnSync("ip", ["netns", "exec", topo.clientPlace!.prefix[3]!, process.execPath, "-e", CONNECT_TIMER, topo.serverHost], {
          encoding: "utf8",
          timeout: 10_000,
        });
        return Number(r.stdout.trim());
      };
      const srv = spawn("ip", ["netns", "exec", topo.serverPlace!.prefix[3]!, process.execPath, "-e", LISTENER, topo.serverHost], {
        stdio: ["pipe", "pipe", "inherit"],
      });
      await new Promise((r) => srv.stdout!.once("data", r));
      try {
        const a = await topo.snapshot();
        const ms = connectMs();
        expect(ms).toBeGreaterThanOrEqual(2 * LINK.delayMs * 0.95); // a SYN and its SYN-ACK each wait 15 ms
        await topo.setLink({ ...LINK, delayMs: 0, lossPct: 100 });
        const lost = spawnSync(
          "ip",
          ["netns", "exec", topo.clientPlace!.prefix[3]!, process.execPath, "-e", CONNECT_TIMER, topo.serverHost, "1500"],
          { encoding: "utf8", timeout: 10_000 },
        );
        expect(lost.stdout.trim()).toBe("timeout");
        const b = await topo.snapshot();
        const rec = topo.network(a, b)!;
        expect(rec.link!.engine === "relay" || rec.link!.engine === "netem").toBe(true);
        if (rec.link!.engine === "relay") {
          expect(rec.link!.toServer!.forwarded).toBeGreaterThanOrEqual(1);
          expect(rec.link!.toServer!.dropped).toBeGreaterThanOrEqual(1);
          expect(rec.link!.lossPct).toBe(100);
        }
        expect(rec.tcp.client["ActiveOpens"]).toBeGreaterThanOrEqual(2);
        expect(rec.tcp.server["PassiveOpens"]).toBeGreaterThanOrEqual(1);
      } finally {
        srv.kill("SIGKILL");
      }
    } finally {
      await topo.close();
    }
  });

  it("removes its namespaces on an uncaught error, and a killed runner's at the next start", async () => {
    const script = (end: string) =>
      `import { openNetns } from ${JSON.stringify(join(ROOT, "dist/topology/netns.js"))};\n` +
      `const t = await openNetns({ topology: "netns", sysctls: {} }, null); console.log(process.pid); ${end}`;
    const crash = spawnSync(process.execPath, ["--input-type=module", "-e", script(`throw new Error("boom");`)], {
      encoding: "utf8",
      timeout: 30_000,
    });
    const crashedPid = crash.stdout.trim();
    expect(crash.status).not.toBe(0);
    expect((await listNamespaces()).filter((n) => n.startsWith(`evb-${crashedPid}-`))).toEqual([]);

    const killed = spawn(process.execPath, ["--input-type=module", "-e", script(`setInterval(() => {}, 1000);`)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const pid = await new Promise<string>((r) => killed.stdout!.once("data", (d) => r(String(d).trim())));
    await new Promise((r) => setTimeout(r, 300));
    killed.kill("SIGKILL");
    await new Promise((r) => killed.once("exit", r));
    expect((await listNamespaces()).filter((n) => n.startsWith(`evb-${pid}-`))).toHaveLength(2);
    const removed = await removeStale();
    expect(removed.filter((n) => n.startsWith(`evb-${pid}-`))).toHaveLength(2);
    expect((await listNamespaces()).filter((n) => n.startsWith(`evb-${pid}-`))).toEqual([]);
  });

  it("bench over a delayed, lossy link records the link and the kernel's counters", async () => {
    const dir = mkdtempSync(join(tmpdir(), "evbench-netns-"));
    const scenario = join(dir, "netns-link.json");
    writeFileSync(
      scenario,
      JSON.stringify({
        name: "netns-link",
        targets: [
          {
            name: "native",
            variants: [
              { name: "clean" },
              { name: "lossy", link: { lossPct: 10 } },
              { name: "slow", link: { rateMbit: 4 }, load: { method: "POST", path: "/echo", bodyBytes: 32768 } },
            ],
          },
        ],
        serverThreads: 1,
        load: { generator: "native", connections: 4, path: "/plaintext" },
        warmupS: 0.5,
        durationS: 1.5,
        cpus: null,
        hosts: { topology: "netns" },
        link: { delayMs: 5 },
      }),
    );
    const r = await runCli(["bench", scenario, "--json"], { EVBENCH_RESULTS_DIR: dir }).done;
    expect(r.stderr).toContain("Network: link and kernel TCP counters");
    expect(r.code, r.stderr).toBe(0);
    const result = parseResultFile(JSON.parse(r.stdout));
    const [clean, lossy, slow] = result.runs;
    if (clean?.status !== "ok" || lossy?.status !== "ok" || slow?.status !== "ok")
      throw new Error(`runs failed: ${JSON.stringify(result.runs)}`);
    expect(clean.latencyUs.p50).toBeGreaterThanOrEqual(2 * 5 * 1000 * 0.95); // a request and its answer cross the link
    expect(clean.network!.serverAddress).toBe("10.203.0.1");
    expect(clean.network!.link!.lossPct).toBe(0);
    expect(lossy.network!.link!.lossPct).toBe(10);
    if (lossy.network!.link!.engine === "relay")
      expect(lossy.network!.link!.toServer!.dropped + lossy.network!.link!.toClient!.dropped).toBeGreaterThan(0);
    expect((lossy.network!.tcp.server["RetransSegs"] ?? 0) + (lossy.network!.tcp.client["RetransSegs"] ?? 0)).toBeGreaterThan(0);
    // tbf holds the link to its rate: 4 Mbit/s of request bodies at most (and a busy link close to it).
    if (slow.network!.link!.engine === "relay") {
      const mbit = (slow.network!.link!.toServer!.bytes * 8) / slow.durationS / 1e6;
      expect(mbit).toBeLessThan(4 * 1.1);
      expect(mbit).toBeGreaterThan(4 * 0.5);
      expect(slow.network!.link!.rateMbit).toBe(4);
    }
    expect(ours(await listNamespaces())).toEqual([]);
  });
});

describe("netns topology without root", () => {
  it.skipIf(process.getuid?.() !== 0)("refuses in one line with exit code 2", () => {
    // A folder the unprivileged user may write, so the only thing wrong is the missing root.
    const dir = mkdtempSync(join(tmpdir(), "evb-noroot-"));
    chmodSync(dir, 0o777);
    const r = spawnSync(
      "setpriv",
      [
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        process.execPath,
        join(ROOT, "dist/cli.js"),
        "bench",
        "quick",
        "--topology",
        "netns",
        "--out",
        join(dir, "r.json"),
      ],
      { encoding: "utf8", timeout: 30_000 },
    );
    rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/netns topology needs root/);
  });
});

// Prints the milliseconds a TCP connect to argv[1]:7 took, or "timeout" after argv[2] ms.
const CONNECT_TIMER = `const net=require("net");const t=process.hrtime.bigint();const s=net.connect(7,process.argv[1]);
const lim=setTimeout(()=>{console.log("timeout");process.exit(0)},Number(process.argv[2]||5000));
s.on("connect",()=>{console.log(Number(process.hrtime.bigint()-t)/1e6);clearTimeout(lim);s.destroy()});s.on("error",e=>{console.log("error "+e.message);process.exit(0)});`;
const LISTENER = `require("net").createServer(s=>s.destroy()).listen(7,process.argv[1],()=>console.log("up"));`;
