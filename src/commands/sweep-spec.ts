// The `sweep` command's options and help, declared once (the command table's form); the sweep
// itself is src/commands/sweep.ts over src/sweep/.
import { defineCommand } from "./define.js";
import { duration, flag, int, num, repeat, str } from "./options.js";
import { resultsDirOf, resultsDirOptions } from "./results-dir.js";
import { sweepCommand } from "./sweep.js";

const text = (x: number | undefined) => (x === undefined ? undefined : String(x));

export const sweepSpec = defineCommand({
  name: "sweep",
  summary: "each server's knee: the highest constant rate meeting a latency SLO",
  positionals: [{ name: "target|url|scenario", help: 'a registered target (started, pinned, verified), an http:// URL, or a scenario with a "sweep" section' }],
  interruptible: true,
  notes: "Exit codes: 0 ok, 1 a sweep is invalid (a failure, errors at the lowest rate, no SLO met), 2 bad input.",
  options: {
    slo: repeat({ help: "latency objective, repeatable or comma-separated: p99=10ms,p99=1ms (p50, p90, p99, p99.9, max)", metavar: "<p=limit>" }),
    connections: str({ help: "connection counts, one sweep each (default 16)", metavar: "<n,m>" }),
    threads: int({ help: "client threads (default: one per client CPU, at most connections)", min: 1, max: 1024 }),
    "step-duration": duration({ help: "measured time per step (default 2s)", minS: 0.1, maxS: 3600 }),
    warmup: duration({ help: "warm-up per step (default 500ms)", minS: 0, maxS: 3600 }),
    reps: int({ help: "repetitions (the knee's interval is over them)", min: 1, max: 1000 }),
    "start-rate": num({ help: "first offered rate (default 1000 req/s)", min: 1, max: 1e9, metavar: "<req/s>" }),
    "max-rate": num({ help: "never offer more (default 2M req/s)", min: 1, max: 1e9, metavar: "<req/s>" }),
    path: str({ help: "request path for a target (default /plaintext)" }),
    "server-cpus": str({ help: "pin the target (default: the last CPU)", metavar: "<a,b>" }),
    "client-cpus": str({ help: "pin the generator (default: the other CPUs)", metavar: "<a,b>" }),
    out: str({ help: "write the result here", metavar: "<file>" }),
    json: flag({ help: "print the result file's content on stdout (human output on stderr)" }),
    ...resultsDirOptions,
  },
  run: (v, positionals, _extra, ctx) =>
    sweepCommand(
      positionals[0]!,
      {
        slo: v.slo,
        connections: v.connections,
        threads: text(v.threads),
        "step-duration": text(v["step-duration"]),
        warmup: text(v.warmup),
        reps: text(v.reps),
        "start-rate": text(v["start-rate"]),
        "max-rate": text(v["max-rate"]),
        path: v.path,
        "server-cpus": v["server-cpus"],
        "client-cpus": v["client-cpus"],
        out: v.out,
        json: v.json,
      },
      ctx.command,
      { out: ctx.out, err: ctx.err },
      ctx.signal,
      resultsDirOf(v),
    ),
});
