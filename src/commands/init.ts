// `evbench init <file> -- <command...>` (or --url, or --go): a commented scenario for the user's
// own server, each field explained where it stands, ready to run with `evbench bench <file>`.
import { writeFileSync } from "node:fs";
import { basename } from "node:path";

import { BadInputError } from "../errors.js";
import { PORT_PLACEHOLDER, urlProblem } from "../targets/user-spec.js";
import { checkNewFile } from "./checks.js";
import { defineCommand } from "./define.js";
import { str } from "./options.js";

const options = {
  url: str({ help: "a server already running at this loopback URL (instead of a command)", metavar: "<url>" }),
  go: str({ help: "a Go module folder for the harness to build (instead of a command)", metavar: "<dir>" }),
  path: str({ help: "the request path to load", metavar: "<path>", default: "/" }),
};

const j = (v: unknown) => JSON.stringify(v);

function targetLines(form: { command?: string[]; url?: string; go?: string }): string[] {
  if (form.url) {
    return [
      `      // A server already running: not started or stopped; its CPU and RSS are read from the process`,
      `      // that owns the listening socket. Loopback addresses only.`,
      `      "url": ${j(form.url)},`,
    ];
  }
  const where = form.command
    ? [
        `      // The command that starts your server; ${PORT_PLACEHOLDER} becomes a free port the harness picks`,
        `      // (or put it in env: "env": { "PORT": "${PORT_PLACEHOLDER}" }). A relative path is relative to this file.`,
        `      "command": ${j(form.command)},`,
      ]
    : [
        `      // Built by the harness (go build) from this folder; add "revs": ["main", "HEAD"] to measure`,
        `      // each git revision as its own row (<name>@<rev>), then: evbench compare <result> --revs main,HEAD`,
        `      "go": { "dir": ${j(form.go)}, "package": "." },`,
        `      // The built binary's arguments; ${PORT_PLACEHOLDER} becomes a free port the harness picks.`,
        `      "args": ["--addr", "127.0.0.1:${PORT_PLACEHOLDER}"],`,
      ];
  return [
    ...where,
    `      // The environment of the server; the variants below add their own.`,
    `      "env": {},`,
    `      // Sent SIGTERM at the end of each run, then SIGKILL (its whole process group) after this.`,
    `      "stopGraceMs": 3000,`,
    `      // The handbook's knobs, each variant a row of the table (GOGC, GOMEMLIMIT, GOMAXPROCS, GODEBUG).`,
    `      "variants": [{ "name": "default" }, { "name": "gogc-200", "env": { "GOGC": "200" } }],`,
    `      // GODEBUG=gctrace=1 is added and parsed from stderr (turn off with "gctrace": false).`,
  ];
}

export function scenarioText(file: string, form: { command?: string[]; url?: string; go?: string }, path: string): string {
  const name =
    basename(file)
      .replace(/\.jsonc?$/, "")
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "my-server";
  return [
    `// A scenario for your own server, written by evbench init. Run it: evbench bench ${basename(file)}`,
    `// Whole-line // comments are allowed in scenario files. Every field: README, "Your own server".`,
    `{`,
    `  "name": ${j(name)},`,
    `  "description": "my server under ${path}",`,
    `  "targets": [`,
    `    {`,
    `      "name": ${j(name)},`,
    ...targetLines(form),
    `      // Ready when GET <path> answers this status; or { "tcp": true }, or { "line": "<regex on its output>" }.`,
    `      "ready": { "http": { "path": ${j(path)}, "status": 200 }, "timeoutMs": 20000 },`,
    `      // What every answer must be; what you leave out is taken from the first answer (the reference).`,
    `      "check": {},`,
    `      // Where it exposes its runtime: Prometheus text, expvar JSON, net/http/pprof (bench --profile); null: off.`,
    `      "metrics": { "prometheus": "/metrics", "expvar": "/debug/vars", "pprof": "/debug/pprof"${form.url ? "" : `, "gctrace": true`} }`,
    `    }`,
    `  ],`,
    `  // The load: the native generator, 16 keep-alive connections, one request in flight on each.`,
    `  "load": { "generator": "native", "connections": 16, "path": ${j(path)} },`,
    `  "warmupS": 1,`,
    `  "durationS": 5,`,
    `  // The rows alternate inside each repetition; 4 or more let compare call a change significant.`,
    `  "repetitions": 4,`,
    `  // On 2 cores: server on CPU 1, client on CPU 0, e.g. { "server": [1], "client": [0] }; null: unpinned.`,
    `  "cpus": null`,
    `}`,
    ``,
  ].join("\n");
}

export const initSpec = defineCommand({
  name: "init",
  summary: "write a commented scenario for your own server (a command, a Go package or a URL)",
  positionals: [{ name: "file", help: "the scenario file to write (never over an existing one)" }],
  passthrough: "your server's command, {port} where the port goes",
  options,
  run: async (v, [file], extra) => {
    const forms = [extra.length > 0 ? "a command after --" : null, v.url ? "--url" : null, v.go ? "--go" : null].filter(Boolean);
    if (forms.length !== 1)
      throw new BadInputError(
        `init: give one of: a command after -- (evbench init api.json -- ./api --port {port}), --url <url> or --go <dir>${forms.length > 1 ? `, not ${forms.join(" and ")}` : ""}`,
      );
    if (v.url) {
      const why = urlProblem(v.url);
      if (why) throw new BadInputError(`init --url: ${why}`);
    }
    if (extra.length > 0 && !extra.some((a) => a.includes(PORT_PLACEHOLDER))) {
      throw new BadInputError(
        `init: the command has no ${PORT_PLACEHOLDER}: put it where the port goes (e.g. --addr 127.0.0.1:${PORT_PLACEHOLDER}); for an env var, edit env in the file written`,
      );
    }
    if (!v.path.startsWith("/")) throw new BadInputError(`init --path "${v.path}": a path starts with /`);
    checkNewFile(file!, "init:");
    writeFileSync(
      file!,
      scenarioText(
        file!,
        { ...(extra.length > 0 ? { command: extra } : {}), ...(v.url ? { url: v.url } : {}), ...(v.go ? { go: v.go } : {}) },
        v.path,
      ),
    );
    return { text: `wrote ${file}; run it: evbench bench ${file}`, exitCode: 0 };
  },
});
