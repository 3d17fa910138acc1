// Capacity is refused up front with this machine's real limits (read from /proc): a level past
// RLIMIT_NOFILE or the ephemeral port range is refused with the limit and the fix, one that fits
// is not; memory at the previous level's measured cost against a cgroup limit.
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { FD_RESERVE, memoryRefusal, parseNofileHard, parsePortRange, readMachineLimits, staticRefusal } from "../src/scaling/capacity.js";

const here = readMachineLimits();
const one = { generatorProcesses: 1, sourceAddresses: 1 };
const ports = here.portRange[1] - here.portRange[0] + 1;

describe("capacity from this machine's limits", () => {
  it("reads the same limits the kernel reports", () => {
    const soft = readFileSync("/proc/self/limits", "utf8").match(/^Max open files\s+(\d+)/m);
    expect(here.nofileHard).toBeGreaterThanOrEqual(Number(soft?.[1]));
    expect(here.portRange).toEqual(parsePortRange(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8")));
  });

  it("refuses a million connections at once, naming the descriptor limit and the fix", () => {
    const why = staticRefusal(1_000_000, here, one);
    expect(why).toMatch(
      new RegExp(
        `^level 1000000 connections needs 1000100 descriptors in the target's process, over RLIMIT_NOFILE ${here.nofileHard} \\(hard\\): raise`,
      ),
    );
  });

  it("accepts the largest level the descriptor limit and the port range allow, and refuses one more", () => {
    const max = Math.min(here.nofileHard - FD_RESERVE, ports);
    expect(staticRefusal(max, here, one)).toBeNull();
    expect(staticRefusal(max + 1, here, one)).toMatch(/RLIMIT_NOFILE|ip_local_port_range/);
  });

  it("refuses by ports when descriptors are plenty but one source address has too few", () => {
    const roomy = { ...here, nofileHard: 10 * ports };
    expect(staticRefusal(ports, roomy, one)).toBeNull();
    expect(staticRefusal(ports + 1, roomy, one)).toMatch(
      new RegExp(`over the ${ports} of net.ipv4.ip_local_port_range ${here.portRange[0]}-${here.portRange[1]} x 1 source address`),
    );
    expect(staticRefusal(ports + 1, roomy, { generatorProcesses: 1, sourceAddresses: 2 })).toBeNull();
  });

  it("parses the limits files' forms", () => {
    expect(parseNofileHard("Max open files            1024                 524288               files\n")).toBe(524288);
    expect(parseNofileHard("Max open files            unlimited            unlimited            files\n")).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => parsePortRange("61000 32768")).toThrow(/ip_local_port_range/);
  });
});

describe("memory at the previous level's cost", () => {
  const cost = {
    connections: 5000,
    idleRssBytes: 10 * 2 ** 20,
    userBytesPerConn: 20_000,
    kernelBytesPerConn: 2_000,
    generatorRssPerConnMax: 500,
  };

  it("refuses a level whose estimate passes the target's limit, and passes one under it", () => {
    const limits = { target: 256 * 2 ** 20, generator: 64 * 2 ** 20 };
    // 10 MiB + N x 22,000 B: 11,000 connections is ~241 MiB, 12,500 is ~272 MiB
    expect(memoryRefusal(11_000, cost, limits)).toBeNull();
    expect(memoryRefusal(12_500, cost, limits)).toMatch(
      /^level 12500 connections needs about 272 MiB in the target's memory cgroup at the 5000-connection level's cost \(21\.5 KiB per connection\), over its limit of 256 MiB/,
    );
  });

  it("refuses by the generator's limit too", () => {
    expect(
      memoryRefusal(200_000, { ...cost, userBytesPerConn: 0, kernelBytesPerConn: null }, { target: 2 ** 40, generator: 64 * 2 ** 20 }),
    ).toMatch(/generator's memory cgroup/);
  });
});
