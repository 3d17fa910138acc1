// The stdin/stdout control channel shared by the Node-hosted targets (docs/architecture.md):
// `READY <port>` once listening, one JSON line per `stats` line, exit at once on stdin EOF.
import { createInterface } from "node:readline";

export function parseTargetArgs(argv, extra = {}) {
  const opts = { port: 0, threads: 1, mode: "http", host: "127.0.0.1", ...Object.fromEntries(Object.keys(extra).map((k) => [k, extra[k].default])) };
  const usage = `usage: --port P --threads N --mode http|echo [--host H]${Object.keys(extra).map((k) => ` [--${k} ${extra[k].meta}]`).join("")}`;
  const fail = (msg) => {
    process.stderr.write(`${msg}\n${usage}\n`);
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!flag.startsWith("--") || value === undefined) fail(`bad argument: ${flag}`);
    const key = flag.slice(2);
    i++;
    if (key === "port" || key === "threads") {
      const n = Number(value);
      if (!Number.isInteger(n) || n < (key === "port" ? 0 : 1) || n > 65535) fail(`--${key}: expected an integer, got ${value}`);
      opts[key] = n;
    } else if (key === "mode") {
      if (value !== "http" && value !== "echo") fail(`--mode: expected http or echo, got ${value}`);
      opts.mode = value;
    } else if (key === "host") {
      opts.host = value;
    } else if (key in extra) {
      opts[key] = extra[key].parse(value, fail);
    } else {
      fail(`unknown flag: ${flag}`);
    }
  }
  return opts;
}

/** Serves the control channel; `collect` returns the stats object (may be async). */
export function serveControl(collect, onEof) {
  const rl = createInterface({ input: process.stdin });
  rl.on("line", async (line) => {
    if (line.trim() !== "stats") return;
    const stats = await collect();
    process.stdout.write(JSON.stringify(stats) + "\n");
  });
  rl.on("close", () => {
    if (onEof) onEof();
    process.exit(0);
  });
  for (const sig of ["SIGTERM", "SIGINT"]) process.on(sig, () => process.exit(0));
}

export function announceReady(port) {
  process.stdout.write(`READY ${port}\n`);
}
