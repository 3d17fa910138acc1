// `load`'s flags for many connections and Poisson arrivals, through the real command line: a
// wrong combination is one line naming the fix and exit 2 before any load; a right one reaches
// the generator and its figures reach the summary and load --json.
import { afterEach, describe, expect, it } from "vitest";

import { LoadSummary } from "../src/commands/load-summary.js";
import { startQueueServer, type QueueServer } from "./fixtures/queue-server.js";
import { runCli } from "./helpers/cli.js";

let server: QueueServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

async function refused(args: string[], message: RegExp): Promise<void> {
  const r = await runCli(["load", "http://127.0.0.1:9/", ...args, "-q"]).done;
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe("load: scaling flags refused with their fix", () => {
  it.each([
    [["-c", "10", "--active", "11"], /--active 11: more than the 10 connections/],
    [["--arrival", "poisson"], /--arrival poisson .* add -R/],
    [["--connect-rate", "1k/s", "--no-keepalive"], /--connect-rate .* drop --no-keepalive/],
    [["--connect-rate", "fast"], /--connect-rate "fast": expected a rate such as/],
    [["-R", "2x"], /-R\/--rate "2x": expected a rate/],
    [["--source-addresses", "::1"], /--source-addresses ::1: not an IPv4 address/],
    [["-c", "30000", "--source-addresses", "127.0.0.2"], /give at least 2/], // given addresses: the whole range each
    [["-c", "300", "--connections-per-process", "100", "-n", "100"], /-n 100: an exact request count needs one generator process/],
    [["--active", "2", "--generator", "wrk"], /--active needs the native generator/],
  ])("%j", async (args, message) => refused(args, message));
});

describe("load: scaling flags at work", () => {
  it("-c 60 --active 6 -R 1.2k --arrival poisson --connect-rate 2k/s --source-addresses --connections-per-process", async () => {
    server = await startQueueServer(0);
    const url = `http://127.0.0.1:${server.port}/`;
    const args = [
      "load",
      url,
      "-c",
      "60",
      "--active",
      "6",
      "-R",
      "1.2k",
      "--arrival",
      "poisson",
      "--seed",
      "5",
      "--connect-rate",
      "2k/s",
      "--source-addresses",
      "127.0.0.7,127.0.0.8",
      "--connections-per-process",
      "40",
      "-d",
      "1",
      "--warmup",
      "0.5",
      "-q",
      "--json",
    ];
    const r = await runCli(args).done;
    expect(r.code, r.stderr).toBe(0);
    const s = LoadSummary.parse(JSON.parse(r.stdout));
    const st = await server.stats();
    // The load's connections from the addresses given, and the preflight's one connect (load-preflight.ts) from the default.
    expect(st.peers).toEqual({ "127.0.0.1": 1, "127.0.0.7": 30, "127.0.0.8": 30 });
    expect(st.sendingConnections).toBe(6);
    const c = s.connections!;
    expect(c).toMatchObject({
      held: 60,
      active: 6,
      arrival: "poisson",
      seed: 5,
      sourceAddresses: ["127.0.0.7", "127.0.0.8"],
      connectRateAsked: 2000,
    });
    expect(c.connect!.firstOpened).toBe(60);
    // Two processes of 30 connections, each paced at its share, 1,000/s: 29 ms from first to last.
    expect(c.connect!.rampS).toBeGreaterThanOrEqual(0.028);
    expect(c.memory!.perConnectionBytes).toBeGreaterThan(0);
    expect(Math.abs(s.rps - 1200) / 1200).toBeLessThan(0.15);
    // The human summary says the same.
    const text = await runCli(args.filter((a) => a !== "--json")).done;
    expect(text.stdout).toMatch(
      /connections 60 held, 6 send \(54 held idle\), poisson arrivals \(seed 5\), from 2 source address\(es\) 127\.0\.0\.7, 127\.0\.0\.8/,
    );
    expect(text.stdout).toMatch(/connects\s+60 opened in .* \(asked 2\.00k\/s\)/);
  }, 30_000);
});
