#!/usr/bin/env node
// The command line: the only file that parses argv or calls process.exit. Exit codes: 0 ok,
// 1 a run failed or a regression gate tripped, 2 bad input (scenario, flags, files).
import { parseArgs, type ParseArgsConfig } from "node:util";

import { benchCommand } from "./commands/bench.js";
import { doctorCommand } from "./commands/doctor.js";
import { listCommand } from "./commands/list.js";
import { loadCommand } from "./commands/load.js";
import { SWEEP_FLAGS, SWEEP_HELP, sweepCommand } from "./commands/sweep.js"; // capacity sweeps (issue 15)
import { targetCommand } from "./commands/target.js";
import { compareCommand } from "./compare/index.js";
import { BadInputError } from "./errors.js";
import { GENERATOR_NAMES } from "./load/registry.js";
import type { GeneratorName } from "./load/types.js";
import { RESULTS_DIR, ROOT } from "./paths.js";
import { reportCommand } from "./report/index.js";
import { reapAll } from "./targets/reaper.js";

const HELP: Record<string, string> = {
  main: `evbench: an honest benchmark harness for event-loop network servers

usage: npm run <command> -- [options]        (or: node dist/cli.js <command> [options])

commands:
  bench <scenario>     run a scenario, write results/<hardware-id>/<stamp>-<scenario>.json
  target <name>        run one target in the foreground
  load <url>           a load generator as a standalone tool
  sweep <target|url>   each server's knee: the highest constant rate meeting a latency SLO
  compare <old> <new>  compare two results (medians, intervals, Mann-Whitney U)
  report [dir...]      Markdown and HTML reports per hardware id
  list                 scenarios, targets, generators, and what is unavailable
  doctor               toolchains, builds, limits and kernel settings

--help after a command explains it. Exit codes: 0 ok, 1 a run failed or a gate tripped, 2 bad input.`,
  bench: `usage: npm run bench -- <scenario> [options]

  <scenario>            a name under scenarios/ (npm run list) or a path to a .json file
  --duration <s>        measured seconds per run (overrides the scenario)
  --warmup <s>          warm-up seconds, excluded from the measurement
  --reps <n>            repetitions (targets alternate inside each)
  --targets a,b         only these targets of the scenario
  --generator <name>    native | autocannon | wrk
  --out <file>          write the result here (never over an existing file)
  --json                print only the result file's path on stdout (human output on stderr)`,
  target: `usage: npm run target -- <name> [--port 8080] [--threads 1] [--mode http|echo] [--host 127.0.0.1] [--cpus 1] [-- extra target flags]

Starts one registered target in the foreground with the contract's flags. Type "stats" for its
counters; Ctrl-D or Ctrl-C stops it.`,
  load: `usage: npm run load -- <url> [options]

  -c, --connections <n>  connections (default 16)
  -t, --threads <n>      client threads (default 1)
  -d, --duration <s>     measured seconds (default 10)
  --warmup <s>           warm-up seconds, not recorded (default 1)
  --rate <r>             constant total rate, open loop, latency from intended send time
  --pipeline <p>         requests in flight per connection (default 1)
  --method <M>           HTTP method (default GET)
  --body-size <n>        request body bytes (default 0)
  --no-keepalive         a new connection per request
  --fast-open            TCP Fast Open on connect (with --no-keepalive)
  --timeout <ms>         per-request timeout (default 5000)
  --cpus a,b             pin the client to these CPUs
  --generator <name>     native (default) | autocannon | wrk
  --json                 one JSON object: rps, requests, latencyUs {p50,p90,p99,p999,max,mean}, errors`,
  compare: `usage: npm run compare -- <old.json> <new.json> [options]
       npm run compare -- --git <ref> [options]

  --git <ref>                  newest result of the same scenario and hardware at <ref> vs the newest at HEAD
  --format text|markdown|json  output format (default text)
  --fail-on-regression <pct>   exit 1 when a significant regression is larger than pct %`,
  report: `usage: npm run report -- [results/<hardware-id> ...]

Writes report.md and report.html in each hardware id folder (all of them by default) and
results/index.html.`,
  sweep: SWEEP_HELP, // capacity sweeps (issue 15)
  list: `usage: npm run list`,
  doctor: `usage: npm run doctor`,
};

interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

function parse(args: string[], options: ParseArgsConfig["options"], allowPositionals = true): Parsed {
  try {
    const r = parseArgs({ args, options, allowPositionals, strict: true });
    return { values: r.values as Parsed["values"], positionals: r.positionals };
  } catch (e) {
    throw new BadInputError(`${(e as Error).message}`);
  }
}

function num(name: string, v: string | undefined, opts: { int?: boolean; min?: number } = {}): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (opts.int && !Number.isInteger(n)) || n < (opts.min ?? 0)) {
    throw new BadInputError(`--${name}: expected ${opts.int ? "an integer" : "a number"} >= ${opts.min ?? 0}, got "${v}"`);
  }
  return n;
}

function cpuList(name: string, v: string | undefined): number[] | null {
  if (v === undefined) return null;
  const l = v.split(",").map((x) => Number(x));
  if (l.some((x) => !Number.isInteger(x) || x < 0)) throw new BadInputError(`--${name}: expected CPU numbers like 0 or 0,1, got "${v}"`);
  return l;
}

function generatorName(v: string | undefined, fallback: GeneratorName | undefined): GeneratorName | undefined {
  if (v === undefined) return fallback;
  if (!(GENERATOR_NAMES as string[]).includes(v)) throw new BadInputError(`--generator: expected one of ${GENERATOR_NAMES.join(", ")}, got "${v}"`);
  return v as GeneratorName;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === "--help" || cmd === "-h" || cmd === "help") {
    process.stdout.write(HELP["main"] + "\n");
    return cmd ? 0 : 2;
  }
  if (!(cmd in HELP) || cmd === "main") throw new BadInputError(`unknown command "${cmd}"\n\n${HELP["main"]}`);
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(HELP[cmd] + "\n");
    return 0;
  }
  const command = `npm run ${cmd} -- ${rest.join(" ")}`.trim();

  switch (cmd) {
    case "bench": {
      const { values: v, positionals } = parse(rest, {
        duration: { type: "string" },
        warmup: { type: "string" },
        reps: { type: "string" },
        targets: { type: "string" },
        generator: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean" },
      });
      if (positionals.length !== 1) throw new BadInputError(`bench needs exactly one scenario\n\n${HELP["bench"]}`);
      const controller = new AbortController();
      let signals = 0;
      const onSignal = () => {
        // First signal: stop what runs now and keep the partial result; second: leave at once.
        if (++signals > 1) process.exit(1);
        process.stderr.write("\ninterrupted: stopping targets and clients, keeping the partial result\n");
        controller.abort();
        reapAll();
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      return benchCommand(
        {
          scenario: positionals[0]!,
          overrides: {
            durationS: num("duration", v.duration as string | undefined, { min: 0.1 }),
            warmupS: num("warmup", v.warmup as string | undefined),
            repetitions: num("reps", v.reps as string | undefined, { int: true, min: 1 }),
            targets: typeof v.targets === "string" ? v.targets.split(",").filter(Boolean) : undefined,
            generator: generatorName(v.generator as string | undefined, undefined),
          },
          outPath: (v.out as string | undefined) ?? null,
          json: v.json === true,
          command,
          signal: controller.signal,
        },
        { out: (s) => process.stdout.write(s + "\n"), err: (s) => process.stderr.write(s + "\n") },
      );
    }
    case "target": {
      const dash = rest.indexOf("--");
      const own = dash >= 0 ? rest.slice(0, dash) : rest;
      const extra = dash >= 0 ? rest.slice(dash + 1) : [];
      const { values: v, positionals } = parse(own, {
        port: { type: "string" },
        threads: { type: "string" },
        mode: { type: "string" },
        host: { type: "string" },
        cpus: { type: "string" },
      });
      if (positionals.length !== 1) throw new BadInputError(`target needs exactly one name\n\n${HELP["target"]}`);
      const mode = (v.mode as string | undefined) ?? "http";
      if (mode !== "http" && mode !== "echo") throw new BadInputError(`--mode: expected http or echo, got "${mode}"`);
      return targetCommand({
        name: positionals[0]!,
        port: num("port", v.port as string | undefined, { int: true }) ?? 8080,
        threads: num("threads", v.threads as string | undefined, { int: true, min: 1 }) ?? 1,
        mode,
        host: (v.host as string | undefined) ?? "127.0.0.1",
        cpus: cpuList("cpus", v.cpus as string | undefined),
        extra,
      });
    }
    case "load": {
      const { values: v, positionals } = parse(rest, {
        connections: { type: "string", short: "c" },
        threads: { type: "string", short: "t" },
        duration: { type: "string", short: "d" },
        warmup: { type: "string" },
        rate: { type: "string" },
        pipeline: { type: "string" },
        method: { type: "string" },
        "body-size": { type: "string" },
        "no-keepalive": { type: "boolean" },
        "fast-open": { type: "boolean" },
        timeout: { type: "string" },
        cpus: { type: "string" },
        generator: { type: "string" },
        json: { type: "boolean" },
      });
      if (positionals.length !== 1) throw new BadInputError(`load needs exactly one URL\n\n${HELP["load"]}`);
      const method = ((v.method as string | undefined) ?? "GET").toUpperCase();
      if (!/^[A-Z]+$/.test(method)) throw new BadInputError(`--method: expected an HTTP method such as GET, got "${method}"`);
      const r = await loadCommand({
        url: positionals[0]!,
        connections: num("connections", v.connections as string | undefined, { int: true, min: 1 }) ?? 16,
        threads: num("threads", v.threads as string | undefined, { int: true, min: 1 }) ?? 1,
        durationS: num("duration", v.duration as string | undefined, { min: 0.1 }) ?? 10,
        warmupS: num("warmup", v.warmup as string | undefined) ?? 1,
        rate: num("rate", v.rate as string | undefined, { min: 1 }) ?? null,
        pipeline: num("pipeline", v.pipeline as string | undefined, { int: true, min: 1 }) ?? 1,
        method,
        bodyBytes: num("body-size", v["body-size"] as string | undefined, { int: true }) ?? 0,
        keepAlive: v["no-keepalive"] !== true,
        fastOpen: v["fast-open"] === true,
        timeoutMs: num("timeout", v.timeout as string | undefined, { int: true, min: 1 }) ?? 5000,
        cpus: cpuList("cpus", v.cpus as string | undefined),
        generator: generatorName(v.generator as string | undefined, "native")!,
        json: v.json === true,
      });
      process.stdout.write(r.text + "\n");
      return r.exitCode;
    }
    case "sweep": { // capacity sweeps (issue 15)
      const { values, positionals } = parse(rest, SWEEP_FLAGS);
      if (positionals.length !== 1) throw new BadInputError(`sweep needs exactly one target, URL or scenario\n\n${SWEEP_HELP}`);
      const stop = new AbortController(); // first signal: finish the step, keep the partial result
      process.once("SIGINT", () => (stop.abort(), process.once("SIGINT", () => (reapAll(), process.exit(1)))));
      const r = await sweepCommand(positionals[0]!, values, command, { out: (t) => process.stdout.write(t + "\n"), err: (t) => process.stderr.write(t + "\n") }, stop.signal);
      if (r.text) process.stdout.write(r.text + "\n");
      return r.exitCode;
    }
    case "compare": {
      const { values: v, positionals } = parse(rest, {
        git: { type: "string" },
        format: { type: "string" },
        "fail-on-regression": { type: "string" },
      });
      const format = (v.format as string | undefined) ?? "text";
      if (format !== "text" && format !== "markdown" && format !== "json") {
        throw new BadInputError(`--format: expected text, markdown or json, got "${format}"`);
      }
      const gitRef = v.git as string | undefined;
      if (!gitRef && positionals.length !== 2) throw new BadInputError(`compare needs two result files or --git <ref>\n\n${HELP["compare"]}`);
      const r = await compareCommand({
        oldPath: positionals[0],
        newPath: positionals[1],
        gitRef,
        format,
        failOnRegressionPct: num("fail-on-regression", v["fail-on-regression"] as string | undefined),
        resultsDir: RESULTS_DIR,
        cwd: ROOT,
      });
      process.stdout.write(r.output.endsWith("\n") ? r.output : r.output + "\n");
      return r.exitCode;
    }
    case "report": {
      const { positionals } = parse(rest, {});
      const r = await reportCommand({ paths: positionals, resultsDir: RESULTS_DIR });
      for (const f of r.written) process.stdout.write(`wrote ${f}\n`);
      return 0;
    }
    case "list":
      parse(rest, {}, false);
      process.stdout.write((await listCommand()) + "\n");
      return 0;
    case "doctor": {
      parse(rest, {}, false);
      const r = doctorCommand();
      process.stdout.write(r.text + "\n");
      return r.exitCode;
    }
  }
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof BadInputError) {
      process.stderr.write(`evbench: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`evbench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
