// The wrk generator (when wrk is installed), so users can cross-check the native generator.
// wrk cannot exclude a warm-up, so one shell runs a discarded warm-up wrk and then the measured
// one; both sit in one process group so the client's CPU is sampled as one. wrk gives no raw
// histogram: its 1,000 latency quantiles are recorded into an HdrHistogram, each with an equal
// share of the count, so percentiles are exact to within one quantile step. wrk has no
// per-second series and no coordinated-omission correction (wrk2's -R is a different tool).
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describeExit, spawnGroup } from "../proc/spawn.js";
import { newLatencyHistogram } from "./client-protocol.js";
import { WRK_QUANTILES, WRK_RESULT_MARK, wrkLua } from "./wrk-script.js";
import { emptyErrors, type LoadGenerator, type LoadResult, type LoadSpec } from "./types.js";

interface WrkJson {
  requests: number;
  durationUs: number;
  bytes: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  mean: number;
  max: number;
  min: number;
  quantiles: number[];
}

export function parseWrkOutput(stdout: string): WrkJson {
  const line = stdout.split("\n").find((l) => l.startsWith(WRK_RESULT_MARK));
  if (!line) throw new Error(`wrk printed no result line; its output:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(WRK_RESULT_MARK.length)) as WrkJson;
}

export function wrkToResult(w: WrkJson): LoadResult {
  const hist = newLatencyHistogram();
  // Each quantile stands for an equal share of the requests; the remainder goes to the median.
  const share = Math.floor(w.requests / WRK_QUANTILES);
  let rest = w.requests - share * WRK_QUANTILES;
  w.quantiles.forEach((q, i) => {
    let n = share;
    if (rest > 0 && i === WRK_QUANTILES / 2) {
      n += rest;
      rest = 0;
    }
    if (n > 0) hist.recordValueWithCount(Math.max(1, Math.round(q)), n);
  });
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
  };
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
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
    const script = join(tmpdir(), `evbench-wrk-${process.pid}-${Date.now()}.lua`);
    writeFileSync(script, wrkLua(spec));
    const url = `http://${spec.host}:${spec.port}${spec.path}`;
    const wrk = (d: number) =>
      ["wrk", "-t", String(spec.threads), "-c", String(spec.connections), "-d", `${d}s`, "--timeout", `${Math.ceil(spec.timeoutMs / 1000)}s`, "-s", script, url]
        .map(shellQuote)
        .join(" ");
    const warm = spec.warmupS > 0 ? `${wrk(Math.max(1, Math.round(spec.warmupS)))} >/dev/null || exit 3; ` : "";
    const sh = `${warm}echo MEASURE-START; ${wrk(Math.max(1, Math.round(spec.durationS)))}; rc=$?; echo MEASURE-END; exit $rc`;
    const p = spawnGroup({ cmd: "sh", args: ["-c", sh], cpus: spec.cpus, place: spec.place }); // place: netns (issue 16)
    hooks.onClientPid?.(p.pid);
    let out = "";
    p.onLine((line) => {
      if (line === "MEASURE-START") hooks.onMeasureStart?.();
      else if (line === "MEASURE-END") hooks.onMeasureEnd?.();
      else out += line + "\n";
    });
    const exit = await p.exited;
    rmSync(script, { force: true });  // one script per run: do not leave them in the temp folder
    if (exit.code !== 0) throw new Error(`wrk ${describeExit(exit)}: ${p.stderrTail() || out.slice(-500)}`);
    return wrkToResult(parseWrkOutput(out));
  },
};
