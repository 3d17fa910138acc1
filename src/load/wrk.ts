// The wrk generator (when wrk is installed), so users can cross-check the native generator.
// wrk cannot exclude a warm-up, so one shell runs a discarded warm-up wrk and then the measured
// one; both sit in one process group so the client's CPU is sampled as one. The Lua script reads
// back every latency sample (exact) up to 2,000 of them, evenly spaced quantiles above. wrk has no per-second series, no count of requests left unfinished, and no
// coordinated-omission correction (wrk2's -R is a different tool).
//
// Lifetime: the script is an unlinked temporary file handed over as fd 3 (wrk opens /dev/fd/3),
// so none is left behind even if the runner is killed with SIGKILL; the shell and each wrk run
// under `setpriv --pdeathsig KILL` (util-linux), so they die with their parent.
import { pidAlive } from "../proc/pid-alive.js";
import { execFileSync } from "node:child_process";
import { closeSync, openSync, readdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describeExit, spawnGroup } from "../proc/spawn.js";
import { newLatencyHistogram } from "./client-protocol.js";
import { WRK_RESULT_MARK, wrkLua } from "./wrk-script.js";
import { emptyErrors, interrupted, type LoadGenerator, type LoadResult, type LoadSpec } from "./types.js";

interface WrkJson {
  requests: number;
  durationUs: number;
  bytes: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  /** [us, count]: wrk's non-empty histogram buckets, when it was small enough to read whole. */
  buckets: [number, number][];
  /** Else evenly spaced quantiles of it, in us. */
  quantiles: number[];
}

export function parseWrkOutput(stdout: string): WrkJson {
  const line = stdout.split("\n").find((l) => l.startsWith(WRK_RESULT_MARK));
  if (!line) throw new Error(`wrk printed no result line; its output:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(WRK_RESULT_MARK.length)) as WrkJson;
}

export function wrkToResult(w: WrkJson): LoadResult {
  const hist = newLatencyHistogram();
  // wrk records one latency per completed write (depth answers when pipelined) and adds its own
  // corrections, so its counts are not the requests: each point gets its share of the requests,
  // in proportion to its count, spread so that the counts add up to the total.
  const points: [number, number][] = w.buckets.length > 0 ? w.buckets : w.quantiles.map((us) => [us, 1]);
  const weight = points.reduce((a, [, c]) => a + c, 0);
  let before = 0;
  for (const [us, c] of points) {
    const n = Math.floor(((before + c) * w.requests) / weight) - Math.floor((before * w.requests) / weight);
    before += c;
    if (n > 0) hist.recordValueWithCount(Math.max(1, Math.round(us)), n);
  }
  const errors = emptyErrors();
  errors.connect = w.errors.connect;
  errors.reset = w.errors.read + w.errors.write;
  errors.timeout = w.errors.timeout;
  errors.status = w.errors.status;
  const durationS = w.durationUs / 1e6;
  return {
    generator: "wrk",
    requests: w.requests,
    bytesRead: w.bytes,
    durationS,
    rps: durationS > 0 ? w.requests / durationS : 0,
    errors,
    status: { "2xx": w.requests - w.errors.status, "non-2xx": w.errors.status },
    latency: hist,
    perSecond: [],
    sent: null,
    answered: null,
    failed: null,
    unfinished: null,
    latencyFrom: "send",
  };
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

let setprivKnown: boolean | null = null;
/** `setpriv --pdeathsig` (util-linux) makes a process die with its parent, even a SIGKILLed one. */
function hasSetpriv(): boolean {
  if (setprivKnown === null) {
    try {
      execFileSync("setpriv", ["--pdeathsig", "KILL", "true"], { stdio: "ignore" });
      setprivKnown = true;
    } catch {
      setprivKnown = false;
    }
  }
  return setprivKnown;
}

const SCRIPT_NAME = /^evbench-wrk-(\d+)-\d+\.lua$/;

/** Scripts left in the temp folder by runs that were killed (versions that kept a named file). */
export function removeStaleScripts(dir = tmpdir()): void {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = SCRIPT_NAME.exec(name);
    if (!m || pidAlive(Number(m[1]))) continue;
    rmSync(join(dir, name), { force: true });
  }
}

/** Writes the script, opens it, unlinks it: the open descriptor is all that is left. */
function scriptFd(spec: LoadSpec): number {
  const path = join(tmpdir(), `evbench-wrk-${process.pid}-${Date.now()}.lua`);
  writeFileSync(path, wrkLua(spec));
  try {
    return openSync(path, "r");
  } finally {
    unlinkSync(path);
  }
}

/** The shell line: warm-up wrk (discarded), the phase marks, the measured wrk. */
export function wrkShell(spec: LoadSpec, guard: string[]): string {
  // wrk speaks TLS for https:// (and never checks the certificate: load-request.ts asks for --insecure).
  const url = `${spec.tls ? "https" : "http"}://${spec.host}:${spec.port}${spec.path}`;
  const wrk = (d: number) =>
    [
      ...guard,
      "wrk",
      "-t",
      String(spec.threads),
      "-c",
      String(spec.connections),
      "-d",
      `${d}s`,
      "--timeout",
      `${Math.ceil(spec.timeoutMs / 1000)}s`,
      "-s",
      "/dev/fd/3",
      url,
    ]
      .map(shellQuote)
      .join(" ");
  const warm = spec.warmupS > 0 ? `${wrk(Math.max(1, Math.round(spec.warmupS)))} >/dev/null || exit 3; ` : "";
  return `${warm}echo MEASURE-START; ${wrk(Math.max(1, Math.round(spec.durationS)))}; rc=$?; echo MEASURE-END; exit $rc`;
}

export const wrkGenerator: LoadGenerator = {
  name: "wrk",
  async unavailableReason() {
    try {
      execFileSync("wrk", ["-v"], { stdio: "ignore" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return "wrk is not installed (apt-get install wrk)";
    }
    return null;
  },
  async run(spec: LoadSpec, hooks) {
    if (spec.echo) throw new Error("wrk speaks only HTTP; echo mode needs the native generator");
    if (spec.rate !== null) throw new Error("wrk has no constant-rate mode; use the native generator for open-loop runs");
    removeStaleScripts();
    const guard = hasSetpriv() ? ["setpriv", "--pdeathsig", "KILL"] : [];
    const fd = scriptFd(spec);
    try {
      const p = spawnGroup({
        cmd: guard[0] ?? "sh",
        args: [...guard.slice(1), ...(guard.length ? ["sh"] : []), "-c", wrkShell(spec, guard)],
        cpus: spec.cpus,
        extraFds: [fd],
        signal: hooks.signal,
        place: spec.place,
      });
      hooks.onClientPid?.(p.pid);
      let out = "";
      p.onLine((line) => {
        if (line === "MEASURE-START") hooks.onMeasureStart?.();
        else if (line === "MEASURE-END") hooks.onMeasureEnd?.();
        else out += line + "\n";
      });
      const exit = await p.exited;
      if (hooks.signal?.aborted) throw interrupted("wrk");
      if (exit.code !== 0) throw new Error(`wrk ${describeExit(exit)}: ${p.stderrTail() || out.slice(-500)}`);
      return wrkToResult(parseWrkOutput(out));
    } finally {
      closeSync(fd);
    }
  },
};
