// The ssh topology for real: two throwaway hosts (network namespaces, each with its own OpenSSH
// server and a throwaway key), the target on one and the client on the other, reached with the
// system ssh. Needs root, iproute2 and OpenSSH (CI installs them); skipped with the reason otherwise.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { decodeFromCompressedBase64 } from "hdr-histogram-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunOk } from "../src/model/index.js";
import { parseResultFile } from "../src/results/upgrade.js";
import { netnsUnavailableReason } from "../src/topology/ip.js";
import { runCli } from "./helpers/cli.js";
import { sshdUnavailableReason, startSshHosts, type SshHosts } from "./helpers/sshd.js";

const why = netnsUnavailableReason() ?? sshdUnavailableReason();
const maybe = why ? describe.skip : describe;
if (why) console.warn(`ssh tests skipped: ${why}`);

maybe("ssh topology", () => {
  let hosts: SshHosts;
  beforeAll(async () => {
    hosts = await startSshHosts();
  }, 60_000);
  afterAll(async () => {
    await hosts?.close();
  });

  /** The native target on evb-server, the native generator on `clientHosts`: the one run, ok. */
  async function benchOverSsh(name: string, connections: number, clientHosts: string): Promise<RunOk> {
    const dir = mkdtempSync(join(tmpdir(), "evbench-ssh-"));
    const scenario = join(dir, `${name}.json`);
    writeFileSync(
      scenario,
      JSON.stringify({
        name,
        targets: ["native"],
        serverThreads: 1,
        load: { generator: "native", connections, path: "/plaintext" },
        warmupS: 0.5,
        durationS: 2,
        cpus: null,
        hosts: { topology: "ssh", serverAddress: "10.203.0.1" },
      }),
    );
    const r = await runCli(["bench", scenario, "--server-host", "evb-server", "--client-hosts", clientHosts, "--json"], {
      EVBENCH_RESULTS_DIR: dir,
      EVBENCH_SSH_CONFIG: hosts.config,
    }).done;
    expect(r.code, r.stderr).toBe(0);
    const run = parseResultFile(JSON.parse(r.stdout)).runs[0]!;
    if (run.status !== "ok") throw new Error(JSON.stringify(run));
    return run;
  }

  it("runs the target on one host and the client on the other, sampled and recorded there", async () => {
    const run = await benchOverSsh("ssh-two-hosts", 4, "evb-client");
    expect(run.requests).toBeGreaterThan(100);
    // The target's own count over the window: its stats travel over another ssh channel than the
    // client's window edges, so the two windows differ by a few milliseconds.
    expect(Math.abs(run.server.requestsCounted! - run.requests) / run.requests).toBeLessThan(0.05);
    // Sampled on the hosts: the target's RSS (the native addon in node: tens of MiB) and CPU.
    expect(run.server.rssPeakBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(run.server.cpuPct).toBeGreaterThan(0);
    expect(run.client.cpuPct).toBeGreaterThan(0);
    const net = run.network!;
    expect(net.topology).toBe("ssh");
    expect(net.hosts!.map((h) => `${h.role} ${h.host}`)).toEqual(["server evb-server", "client evb-client"]);
    expect(net.hosts![0]!.cores).toBeGreaterThan(0);
    // The requests crossed between the two hosts: each host's kernel counted about a segment per
    // request (its counters are read ten times a second, so the window's edges differ a little).
    expect(net.tcp.server["InSegs"] ?? 0).toBeGreaterThan(0.9 * run.requests);
    expect(net.tcp.client["OutSegs"] ?? 0).toBeGreaterThan(0.9 * run.requests);
  }, 90_000);

  it("spreads one load over two client hosts and merges their histograms exactly", async () => {
    const run = await benchOverSsh("ssh-two-clients", 5, "evb-client,evb-server");
    const clients = run.network!.hosts!.filter((h) => h.role === "client");
    expect(clients.map((h) => h.host)).toEqual(["evb-client", "evb-server"]);
    for (const c of clients) {
      expect(c.requests).toBeGreaterThan(50);
      expect(c.cpuPct).toBeGreaterThan(0);
    }
    expect(clients[0]!.requests! + clients[1]!.requests!).toBe(run.requests);
    expect(clients[0]!.share! + clients[1]!.share!).toBeCloseTo(1, 9);
    // The merged histogram holds every request of both hosts (HdrHistograms add).
    const h = decodeFromCompressedBase64(run.latencyHdr);
    expect(h.totalCount).toBe(run.requests);
  }, 90_000);

  it("refuses a host without the same evbench installed, saying how to install it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "evbench-ssh-"));
    const scenario = join(dir, "ssh-elsewhere.json");
    writeFileSync(
      scenario,
      JSON.stringify({ name: "ssh-elsewhere", targets: ["native"], hosts: { topology: "ssh", remoteRoot: "/nonexistent/evbench" } }),
    );
    const r = await runCli(["bench", scenario, "--server-host", "evb-server"], {
      EVBENCH_SSH_CONFIG: hosts.config,
      EVBENCH_RESULTS_DIR: dir,
    }).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot run evbench on evb-server: .*install evbench \S+ there at \/nonexistent\/evbench/);
  });
});
