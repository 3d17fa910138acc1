// The stdin/stdout control channel shared by the Node-hosted targets (docs/architecture.md):
// `READY <port>` once listening, one JSON line per `stats` line, exit at once on stdin EOF.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { createInterface } from "node:readline";

export function parseTargetArgs(argv, extra = {}) {
  const opts = {
    port: 0,
    threads: 1,
    mode: "http",
    host: "127.0.0.1",
    ...Object.fromEntries(Object.keys(extra).map((k) => [k, extra[k].default])),
  };
  const usage = `usage: --port P --threads N --mode http|echo [--host H]${Object.keys(extra)
    .map((k) => (extra[k].boolean ? ` [--${k}]` : ` [--${k} ${extra[k].meta}]`))
    .join("")}`;
  const fail = (msg) => {
    process.stderr.write(`${msg}\n${usage}\n`);
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const key = flag.slice(2);
    // A boolean extra (`boolean: true`) is a flag without a value, as Go's `--h2c`.
    if (flag.startsWith("--") && extra[key]?.boolean) {
      opts[key] = true;
      continue;
    }
    const value = argv[i + 1];
    if (!flag.startsWith("--") || value === undefined) fail(`bad argument: ${flag}`);
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

/**
 * Serves the control channel; `collect` returns the stats object (may be async). Lines are
 * answered one at a time, in order, since the runner pairs each answer with its oldest question.
 * `profileUnsupported`: why this process cannot be profiled (null: it can, with V8's profiler).
 */
export function serveControl(collect, onEof, profileUnsupported = null) {
  const rl = createInterface({ input: process.stdin });
  const profiler = profileUnsupported === null ? new V8Profiler() : null;
  let queue = Promise.resolve();
  rl.on("line", (line) => {
    queue = queue.then(async () => {
      const [cmd, ...rest] = line.trim().split(" ");
      if (cmd === "stats") return answer(await collect());
      if (cmd === "profile-start" || cmd === "profile-stop") {
        if (!profiler) return answer({ unsupported: profileUnsupported });
        return answer(await profiler.command(cmd, rest.join(" ").trim()));
      }
    });
  });
  rl.on("close", () => {
    if (onEof) onEof();
    process.exit(0);
  });
  for (const sig of ["SIGTERM", "SIGINT"]) process.on(sig, () => process.exit(0));
}

function answer(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

/**
 * `profile-start <prefix>` / `profile-stop` (docs/architecture.md): a V8 CPU profile of this
 * process over the window, written as `<prefix>.cpuprofile` (Chrome DevTools' format).
 */
export class V8Profiler {
  session = null;
  prefix = null;

  async command(cmd, arg) {
    try {
      return cmd === "profile-start" ? await this.start(arg) : await this.stop();
    } catch (e) {
      return { error: e.message };
    }
  }

  async start(prefix) {
    if (!prefix) return { error: "profile-start needs a path prefix" };
    if (this.session) return { error: "a profile is already being taken" };
    this.session = new Session();
    this.session.connect();
    await this.session.post("Profiler.enable");
    await this.session.post("Profiler.start");
    this.prefix = prefix;
    return { started: prefix };
  }

  async stop() {
    if (!this.session) return { error: "no profile is being taken (profile-start first)" };
    const session = this.session;
    this.session = null;
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    const cpu = `${this.prefix}.cpuprofile`;
    writeFileSync(cpu, JSON.stringify(profile));
    return { cpu };
  }
}

export function announceReady(port) {
  process.stdout.write(`READY ${port}\n`);
}
