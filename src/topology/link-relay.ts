// The user-space link (tools/link-relay): started with the namespaces' names, it creates one TUN
// device in each and moves packets between them with the link's delay, jitter and loss. Its
// counters are read over the same stdin/stdout line channel as a target's.
import { existsSync } from "node:fs";
import { join } from "node:path";

import { ROOT } from "../paths.js";
import { spawnGroup, describeExit, type Spawned } from "../proc/spawn.js";
import type { LinkSection } from "../model/index.js";

export const RELAY_BIN = join(ROOT, "build", "tools", "link-relay");

export interface RelayDirection {
  received: number;
  forwarded: number;
  dropped: number;
  overflow: number;
  writeErrors: number;
  bytes: number;
  lateNsSum: number;
  lateNsMax: number;
  queuedMax: number;
}
export interface RelayCounters {
  aToB: RelayDirection;
  bToA: RelayDirection;
}

export interface Relay {
  stats(): Promise<RelayCounters>;
  /** Changes delay, jitter and loss for the packets that arrive next. */
  set(link: LinkSection): Promise<void>;
  stop(): Promise<void>;
}

export interface RelayPlace {
  nsA: string;
  devA: string;
  nsB: string;
  devB: string;
}

export async function startRelay(place: RelayPlace, link: LinkSection): Promise<Relay> {
  if (!existsSync(RELAY_BIN)) throw new Error(`the link relay is not built (${RELAY_BIN}); run npm install`);
  const p = spawnGroup({
    cmd: RELAY_BIN,
    args: [
      "--ns-a",
      place.nsA,
      "--dev-a",
      place.devA,
      "--ns-b",
      place.nsB,
      "--dev-b",
      place.devB,
      "--delay-us",
      String(relayUnits(link)[0]),
      "--jitter-us",
      String(relayUnits(link)[1]),
      "--loss-ppm",
      String(relayUnits(link)[2]),
      "--seed",
      String(link.seed),
    ],
  });
  const waiting: ((line: string) => void)[] = [];
  p.onLine((line) => waiting.shift()?.(line));
  const ready = await lineOrExit(p, waiting, 5000);
  if (ready !== "READY") throw new Error(`link relay did not start: ${ready}`);
  return {
    stats: async () => {
      p.child.stdin.write("stats\n");
      const line = await lineOrExit(p, waiting, 5000);
      try {
        return JSON.parse(line) as RelayCounters;
      } catch {
        throw new Error(`link relay: ${line}`);
      }
    },
    set: async (l: LinkSection) => {
      p.child.stdin.write(`set ${relayUnits(l).join(" ")}\n`);
      const line = await lineOrExit(p, waiting, 5000);
      if (line !== "OK") throw new Error(`link relay: ${line}`);
    },
    stop: async () => {
      p.child.stdin.end();
      const done = await Promise.race([p.exited, sleep(2000).then(() => null)]);
      if (!done) p.killGroup("SIGKILL");
      await p.exited;
    },
  };
}

/** Delay and jitter in microseconds, loss in parts per million: the relay's units. */
function relayUnits(l: LinkSection): [number, number, number] {
  return [Math.round(l.delayMs * 1000), Math.round(l.jitterMs * 1000), Math.round(l.lossPct * 10_000)];
}

function lineOrExit(p: Spawned, waiting: ((line: string) => void)[], timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
    waiting.push((l) => (clearTimeout(t), resolve(l)));
    void p.exited.then((e) => (clearTimeout(t), resolve(`${describeExit(e)}: ${p.stderrTail()}`)));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
