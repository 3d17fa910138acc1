// The pure parts of the topologies: /proc/net counter parsing, command placement and quoting,
// the --topology flags and the scenario's link sections. No root needed.
import { describe, expect, it } from "vitest";

import { networkWarnings } from "../src/report/network.js";
import type { ResultFile } from "../src/model/index.js";
import { parseScenario } from "../src/scenario/load.js";
import { newLatencyHistogram } from "../src/load/client-protocol.js";
import type { LoadResult } from "../src/load/types.js";
import { hostsOverride } from "../src/topology/flags.js";
import { mergeLoadResults } from "../src/load/merge-results.js";
import { splitEvenly } from "../src/topology/multi-client.js";
import { placeArgv, shellQuote } from "../src/proc/placement.js";
import { counterDelta, parseProcNet, pickTcpCounters } from "../src/topology/tcp-counters.js";

const SNMP = `Ip: Forwarding DefaultTTL
Ip: 1 64
Tcp: RtoAlgorithm RtoMin ActiveOpens PassiveOpens RetransSegs
Tcp: 1 200 7 3 12
Udp: InDatagrams
Udp: 5
TcpExt: SyncookiesSent TCPFastOpenActive TCPFastOpenPassive
TcpExt: 0 4 2
`;

describe("kernel TCP counters", () => {
  it("reads Tcp and TcpExt pairs and nothing else", () => {
    const all = parseProcNet(SNMP);
    expect(all).toMatchObject({ ActiveOpens: 7, PassiveOpens: 3, RetransSegs: 12, TCPFastOpenActive: 4, TCPFastOpenPassive: 2 });
    expect(all["InDatagrams"]).toBeUndefined();
    expect(all["Forwarding"]).toBeUndefined();
    const picked = pickTcpCounters(all);
    expect(picked["RtoMin"]).toBeUndefined(); // not a recorded counter
    expect(picked["TCPTimeouts"]).toBeUndefined(); // absent here: left out, not zero
    expect(counterDelta({ RetransSegs: 10 }, { RetransSegs: 12, ActiveOpens: 7 })).toEqual({ RetransSegs: 2 });
  });
});

describe("placement", () => {
  it("prefixes a namespace's command as separate words", () => {
    expect(placeArgv({ prefix: ["ip", "netns", "exec", "n"], shell: false }, ["node", "a b.js"])).toEqual([
      "ip",
      "netns",
      "exec",
      "n",
      "node",
      "a b.js",
    ]);
    expect(placeArgv(null, ["x"])).toEqual(["x"]);
  });
  it("quotes for a remote shell, with the environment and the install path mapped", () => {
    const argv = placeArgv({ prefix: ["ssh", "h"], shell: true, rootMap: ["/here", "/there"] }, ["/here/bin/t", `{"a":"it's"}`], {
      GOGC: "50",
    });
    expect(argv.slice(0, 2)).toEqual(["ssh", "h"]);
    expect(argv[2]).toBe(`exec env GOGC=50 /there/bin/t '{"a":"it'\\''s"}'`);
    expect(shellQuote("plain-word_1.js")).toBe("plain-word_1.js");
    expect(shellQuote("")).toBe("''");
  });
});

describe("flags and scenario sections", () => {
  it("checks --topology and the ssh hosts", () => {
    expect(hostsOverride("netns")).toEqual({ topology: "netns" });
    expect(hostsOverride(undefined, "me@box", "a,b")).toEqual({ topology: "ssh", serverHost: "me@box", clientHosts: ["a", "b"] });
    expect(() => hostsOverride("lan")).toThrow(/--topology: "lan" is not one of local, netns, ssh/);
    expect(() => hostsOverride(undefined, "a b")).toThrow(/--server-host/);
    expect(hostsOverride()).toBeUndefined();
  });
  it("resolves a variant's link over the scenario's, and names a bad field", () => {
    const s = parseScenario(
      {
        name: "x",
        targets: [{ name: "native", variants: [{ name: "a" }, { name: "b", link: { lossPct: 5 } }] }],
        hosts: { topology: "netns" },
        link: { delayMs: 10, jitterMs: 2 },
      },
      "x.json",
    );
    const [a, b] = s.targets[0]!.variants;
    expect(a!.link).toEqual({ delayMs: 10, jitterMs: 2, lossPct: 0, rateMbit: null, seed: 1 });
    expect(b!.link).toEqual({ delayMs: 10, jitterMs: 2, lossPct: 5, rateMbit: null, seed: 1 });
    expect(s.hosts.topology).toBe("netns");
    expect(() => parseScenario({ name: "x", targets: ["native"], link: { lossPct: 150 } }, "x.json")).toThrow(/x\.json: link\.lossPct/);
    expect(() => parseScenario({ name: "x", targets: ["native"], hosts: { topology: "lan" } }, "x.json")).toThrow(/hosts\.topology/);
  });
});

describe("several client hosts", () => {
  const result = (values: number[], perSecond: number[]): LoadResult => {
    const h = newLatencyHistogram();
    for (const v of values) h.recordValue(v);
    return {
      generator: "native",
      requests: values.length,
      bytesRead: values.length * 10,
      durationS: 2,
      rps: values.length / 2,
      errors: { connect: 1, reset: 0, timeout: 0, badResponse: 0, status: 0, tls: 0, goaway: 0, rstStream: 0 },
      status: { "2xx": values.length },
      latency: h,
      perSecond,
      sent: values.length + 1,
      answered: values.length,
      failed: 0,
      unfinished: 1,
      latencyFrom: "send" as const,
    };
  };
  it("splits connections evenly", () => {
    expect(splitEvenly(5, 2)).toEqual([3, 2]);
    expect(splitEvenly(4, 4)).toEqual([1, 1, 1, 1]);
    expect(splitEvenly(1, 2)).toEqual([1, 0]);
  });
  it("merges results exactly: counts add, histograms add", () => {
    const all = [100, 200, 300, 400, 5000, 6000, 7000];
    const m = mergeLoadResults([result(all.slice(0, 4), [2, 2]), result(all.slice(4), [1, 2, 7])]);
    expect(m.requests).toBe(7);
    // The trust accounting adds too: sent = answered + failed + unfinished over the hosts.
    expect([m.sent, m.answered, m.failed, m.unfinished]).toEqual([9, 7, 0, 2]);
    expect(m.latency.totalCount).toBe(7);
    expect(m.errors.connect).toBe(2);
    expect(m.status["2xx"]).toBe(7);
    expect(m.perSecond).toEqual([3, 4, 7]);
    const one = newLatencyHistogram();
    for (const v of all) one.recordValue(v);
    for (const q of [50, 90, 99]) expect(m.latency.getValueAtPercentile(q)).toBe(one.getValueAtPercentile(q));
  });
});

describe("network warnings", () => {
  const dir = (lateMeanUs: number, overflow = 0) => ({
    received: 10,
    forwarded: 10,
    dropped: 0,
    overflow,
    writeErrors: 0,
    bytes: 1000,
    lateMeanUs,
    lateMaxUs: lateMeanUs,
  });
  const run = (fastOpen: boolean, tfoActive: number, lateUs: number, overflow = 0) => ({
    status: "ok",
    target: "native",
    variant: "tfo",
    rep: 0,
    requests: 100,
    load: { fastOpen, keepAlive: false },
    network: {
      topology: "netns",
      serverAddress: "10.203.0.1",
      link: {
        engine: "relay",
        delayMs: 10,
        jitterMs: 0,
        lossPct: 0,
        rateMbit: null,
        seed: 1,
        toServer: dir(lateUs, overflow),
        toClient: dir(50),
      },
      tcp: { server: {}, client: { TCPFastOpenActive: tfoActive } },
    },
  });
  const warn = (runs: unknown[]) => networkWarnings({ runs } as unknown as ResultFile);
  it("says when Fast Open was asked and not used, when the relay was late, and when its queue overflowed", () => {
    expect(warn([run(true, 100, 50)])).toEqual([]);
    expect(warn([run(false, 0, 50)])).toEqual([]);
    expect(warn([run(true, 3, 50)])[0]).toMatch(/native\/tfo rep 1: Fast Open asked, but only 3 of 100/);
    expect(warn([run(true, 100, 2500)])[0]).toMatch(/relay let packets to the server go 2.50 ms late on average/);
    expect(warn([run(true, 100, 50, 7)])[0]).toMatch(/overflowed to the server: 7 packets/);
  });
  const kernel = (retransmits: number, syn: number) => ({
    status: "measured",
    tcp: { retransmits, synRetransmits: syn, synackRetransmits: 0, lossProbes: 0, perConnection: [] },
  });
  it("says when the kernel retransmitted data where no loss was asked (SYN retransmissions are connects, not data)", () => {
    const with_ = (k: unknown, lossPct = 0) => {
      const r = run(false, 0, 50);
      r.network.link.lossPct = lossPct;
      return { ...r, requests: 10_000, kernel: k };
    };
    expect(warn([with_(kernel(10, 0))])).toEqual([]); // 0.1 % of 10,000: at the bound
    expect(warn([with_(kernel(500, 495))])).toEqual([]); // a connect storm: its SYNs, 5 data
    expect(warn([with_(kernel(11, 0))])[0]).toMatch(/kernel retransmitted 11 data segments .*no loss was asked/);
    expect(warn([with_(kernel(500, 0), 1)])).toEqual([]); // loss asked: retransmissions are the point
    expect(warn([with_({ status: "unavailable", reason: "x" })])).toEqual([]);
  });
  it("says when the eBPF dropper dropped another share than the asked loss", () => {
    const dropped = (seen: number, n: number) => {
      const r = run(true, 100, 50);
      r.network.link.lossPct = 1;
      return {
        ...r,
        network: { ...r.network, link: { ...r.network.link, ebpf: { toServer: { seen, dropped: n }, toClient: { seen, dropped: n } } } },
      };
    };
    expect(warn([dropped(100_000, 1000)])).toEqual([]);
    expect(warn([dropped(100_000, 1100)])).toEqual([]); // within a draw's spread (4 sigma = 0.13 %, + 0.1 %)
    const w = warn([dropped(100_000, 2000)]);
    expect(w).toHaveLength(2);
    expect(w[0]).toMatch(/eBPF dropper dropped 2.00 % of 100000 packets to the server, 1 % asked/);
  });
});
