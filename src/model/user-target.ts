// A target defined in the scenario instead of the registry (issue 23): a command, a Go package
// the harness builds (at one or more git revisions), or the URL of a server already running.
// Declared once here; src/model/scenario.ts spreads these fields into its target entry, and
// src/targets/user-spec.ts turns an entry into the runner's user targets.
import { z } from "zod";

const posInt = z.number().int().positive();
const status = z.number().int().min(100).max(599);

/** The placeholder the harness replaces with the port it chose. */
export const PORT_PLACEHOLDER = "{port}";

export const ReadySpec = z
  .strictObject({
    /** Ready once a TCP connect to the port succeeds (the default). */
    tcp: z.literal(true).optional(),
    /** Ready once GET path answers this status; any other status fails the run. */
    http: z.strictObject({ path: z.string().startsWith("/"), status: status.default(200) }).optional(),
    /** Ready once a line of stdout or stderr matches this regular expression. */
    line: z.string().min(1).optional(),
    timeoutMs: posInt.default(20_000),
  })
  .refine((r) => [r.tcp, r.http, r.line].filter((x) => x !== undefined).length <= 1, "give one of tcp, http or line")
  .refine((r) => r.line === undefined || isRegex(r.line), "line: not a valid regular expression");
export type ReadySpec = z.output<typeof ReadySpec>;

/** What every answer must be; a field left out is taken from the first answer (the reference). */
export const CheckSpec = z.strictObject({
  status: status.optional(),
  length: z.number().int().nonnegative().optional(),
  /** A regular expression the body must match. */
  bodyPattern: z.string().refine(isRegex, "not a valid regular expression").optional(),
});
export type CheckSpec = z.output<typeof CheckSpec>;

/** Where the service exposes its runtime: paths on its own port; null turns a source off. */
export const MetricsSpec = z.strictObject({
  prometheus: z.string().startsWith("/").nullable().default("/metrics"),
  expvar: z.string().startsWith("/").nullable().default("/debug/vars"),
  pprof: z.string().startsWith("/").nullable().default("/debug/pprof"),
  /** GODEBUG=gctrace=1 and the trace parsed from stderr (commands and Go packages only). */
  gctrace: z.boolean().default(true),
});
export type MetricsSpec = z.output<typeof MetricsSpec>;

export const GoSpec = z.strictObject({
  /** The module's folder (relative to the scenario file), inside a git repository for revs. */
  dir: z.string().min(1),
  package: z.string().min(1).default("."),
  /** Git revisions, each built once and measured as its own row `<name>@<rev>`; absent: the working tree. */
  revs: z
    .array(z.string().regex(/^[A-Za-z0-9._/~^-]+$/, "a git revision (branch, tag, commit, HEAD~1)"))
    .min(1)
    .optional(),
});

/** The fields a user target adds to a scenario's target entry. */
export const USER_TARGET_FIELDS = {
  /** Executable and arguments, {port} where the port goes (or in env). */
  command: z.array(z.string().min(1)).min(1).optional(),
  go: GoSpec.optional(),
  /** Arguments of the built Go binary, {port} where the port goes (or in env). */
  args: z.array(z.string()).optional(),
  /** http://127.x.y.z:port of a server already running (no process control). */
  url: z.string().optional(),
  /** Working directory (relative to the scenario file); default: the scenario's folder. */
  cwd: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  ready: ReadySpec.optional(),
  check: CheckSpec.optional(),
  metrics: MetricsSpec.optional(),
  /** After SIGTERM, how long before SIGKILL of the whole process group. */
  stopGraceMs: posInt.max(60_000).optional(),
};

export type UserEntry = { [K in keyof typeof USER_TARGET_FIELDS]?: z.output<(typeof USER_TARGET_FIELDS)[K]> };

function isRegex(s: string): boolean {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}

const hasPort = (xs: readonly string[] | undefined) => (xs ?? []).some((x) => x.includes(PORT_PLACEHOLDER));

/** Why a URL cannot be measured here, or null: only literal loopback addresses (a name could
 *  resolve anywhere; another host's process cannot be sampled). */
export function urlProblem(text: string): string | null {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return `"${text}" is not a URL; write http://127.0.0.1:<port>`;
  }
  if (u.protocol !== "http:") return `${u.protocol} is not supported; write http://127.0.0.1:<port>`;
  const host = u.hostname.replace(/^\[|\]$/g, "");
  if (host !== "::1" && !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) {
    return /^[\d.]+$|:/.test(host)
      ? `${host} is not a loopback address; run the server here and write http://127.0.0.1:<port>`
      : `"${host}" is a host name; write its loopback address, e.g. http://127.0.0.1:${u.port || "<port>"}`;
  }
  if (u.port === "") return `"${text}" has no port; write http://${u.hostname}:<port>`;
  if (u.pathname !== "/" || u.search !== "") return `"${text}": give only the address; the load's path is the scenario's load.path`;
  return null;
}

/** Every problem of a user target entry (zod issues at their exact paths). */
export function checkUserEntry(e: UserEntry, ctx: z.RefinementCtx): void {
  const forms = (["command", "go", "url"] as const).filter((k) => e[k] !== undefined);
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (forms.length > 1) issue(forms[1]!, `give one of command, go or url, not ${forms.join(" and ")}`);
  const form = forms[0];
  const extras = Object.keys(USER_TARGET_FIELDS).filter(
    (k) => e[k as keyof UserEntry] !== undefined && !["command", "go", "url"].includes(k),
  );
  if (!form) {
    if (extras.length > 0)
      issue(extras[0]!, `${extras.join(", ")} belong to a user target: add command, go or url (or remove them for a registered target)`);
    return;
  }
  if (form === "url") {
    const why = urlProblem(e.url!);
    if (why) issue("url", why);
    const noProcess = extras.filter((k) => ["cwd", "env", "args", "stopGraceMs"].includes(k));
    if (noProcess.length > 0) issue(noProcess[0]!, `a URL target has no process to start: drop ${noProcess.join(", ")}`);
    return;
  }
  if (form === "command" && e.args !== undefined) issue("args", "put a command's arguments in command");
  const argv = form === "command" ? e.command : e.args;
  if (!hasPort(argv) && !hasPort(Object.values(e.env ?? {}))) {
    issue(
      form === "command" ? "command" : "args",
      `no ${PORT_PLACEHOLDER} placeholder: put it where the port goes, e.g. "--addr", "127.0.0.1:${PORT_PLACEHOLDER}", or in env ("PORT": "${PORT_PLACEHOLDER}")`,
    );
  }
}
