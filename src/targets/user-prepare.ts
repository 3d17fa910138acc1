// Everything about a user target that can be wrong is found here, before anything is measured:
// paths resolved against the scenario's folder, the executable found, Go packages built (each
// revision once), and what will run recorded (command, commit, dirty state, `go version -m`).
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";

import { BadInputError } from "../errors.js";
import { buildGoTarget } from "./user-go-build.js";
import { repoState } from "./user-git.js";
import type { PreparedUser, UserTargetRecord, UserTargetSpec } from "./user-spec.js";

export type { PreparedUser, UserTargetRecord } from "./user-spec.js";

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The executable's absolute path: a path relative to cwd, or a name looked up on PATH. */
function findExecutable(cmd: string, cwd: string, label: string): string {
  if (cmd.includes("/")) {
    const p = isAbsolute(cmd) ? cmd : resolve(cwd, cmd);
    if (executable(p)) return p;
    throw new BadInputError(
      `${label}: command ${JSON.stringify(cmd)} ${existsSync(p) ? "is not an executable file" : "does not exist"} (${p}); build it, or fix the path (relative to cwd ${cwd})`,
    );
  }
  for (const d of (process.env.PATH ?? "").split(delimiter)) {
    if (d && executable(join(d, cmd))) return join(d, cmd);
  }
  throw new BadInputError(`${label}: command ${JSON.stringify(cmd)} is not on PATH; install it or give its path`);
}

function folder(base: string, p: string | null, label: string, field: string): string {
  const abs = p === null ? base : resolve(base, p);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new BadInputError(`${label}: ${field} ${abs} is not a folder`);
  return abs;
}

function prepareOne(u: UserTargetSpec, base: string, label: string): PreparedUser {
  if (u.kind === "url") {
    const url = new URL(u.url);
    return {
      kind: "url",
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: Number(url.port),
      common: u.common,
      record: { form: "url", url: u.url },
    };
  }
  const cwd = folder(base, u.cwd, label, "cwd");
  if (u.kind === "command") {
    const exe = findExecutable(u.command[0]!, cwd, label);
    const repo = repoState(cwd);
    const record: UserTargetRecord = {
      form: "command",
      command: u.command,
      cwd,
      repo: repo && { dir: repo.top, commit: repo.commit, dirty: repo.dirty },
    };
    return { kind: "process", argv: [exe, ...u.command.slice(1)], cwd, env: u.env, common: u.common, record };
  }
  const dir = folder(base, u.dir, label, "go.dir");
  const b = buildGoTarget(dir, u.package, u.rev, label);
  const repo = repoState(dir);
  const record: UserTargetRecord = {
    form: "go",
    command: [b.binary, ...u.args],
    cwd,
    repo: b.commit === null || !repo ? null : { dir: repo.top, commit: b.commit, dirty: b.dirty ?? false },
    rev: u.rev,
    goVersion: b.goVersion,
    buildInfo: b.buildInfo,
    cachedBuild: b.cached,
  };
  return { kind: "process", argv: [b.binary, ...u.args], cwd: u.cwd === null ? dir : cwd, env: u.env, common: u.common, record };
}

/** What preparing needs of a scenario's target (src/scenario/load.ts ScenarioTarget). */
interface TargetLike {
  name: string;
  user?: UserTargetSpec;
  variants: { name: string; env: Record<string, string>; args: string[] }[];
}

function variantProblem(t: TargetLike): string | null {
  if (t.user?.kind !== "url") return null;
  const v = t.variants.find((x) => Object.keys(x.env).length > 0 || x.args.length > 0);
  return v ? `variant "${v.name}" sets env or args, but a URL target has no process to start; run it as a command to vary it` : null;
}

/** The scenario with every user target prepared (built, found, recorded); BadInputError otherwise. */
export function prepareUserTargets<T extends TargetLike, S extends { file: string; targets: T[] }>(s: S): S {
  const base = dirname(s.file);
  const targets = s.targets.map((t) => {
    if (!t.user) return t;
    const label = `${s.file}: target "${t.name}"`;
    const why = variantProblem(t);
    if (why) throw new BadInputError(`${label}: ${why}`);
    return { ...t, user: { ...t.user, prepared: prepareOne(t.user, base, label) } };
  });
  return { ...s, targets };
}
