// The runner's view of a user target (issue 23): what the scenario entry (src/model/user-target.ts)
// states, one per Go revision, with what prepareUserTargets found before the first run.
import { MetricsSpec, ReadySpec, type CheckSpec, type UserEntry } from "../model/index.js";

export { PORT_PLACEHOLDER, urlProblem, type CheckSpec, type MetricsSpec, type ReadySpec } from "../model/index.js";

/** What a user target is, as the scenario states it (paths still relative to the scenario file). */
export type UserTargetSpec = (
  | { kind: "command"; command: string[]; cwd: string | null; env: Record<string, string>; common: UserCommon }
  | {
      kind: "go";
      dir: string;
      package: string;
      rev: string | null;
      args: string[];
      cwd: string | null;
      env: Record<string, string>;
      common: UserCommon;
    }
  | { kind: "url"; url: string; common: UserCommon }
) & {
  /** Set by prepareUserTargets (src/targets/user-prepare.ts) before the first run. */
  prepared?: PreparedUser;
};

export interface UserCommon {
  ready: ReadySpec;
  check: CheckSpec;
  metrics: MetricsSpec;
  stopGraceMs: number;
}

const DEFAULT_STOP_GRACE_MS = 3000;

/** The entry's user target(s): one per Go revision (named <name>@<rev>), else one; [] for a registered name. */
export function userTargetsOf(name: string, e: UserEntry): { name: string; user: UserTargetSpec }[] {
  const common: UserCommon = {
    ready: e.ready ?? ReadySpec.parse({}),
    check: e.check ?? {},
    // A URL target's stderr is not ours to read: no gctrace there.
    metrics: { ...(e.metrics ?? MetricsSpec.parse({})), ...(e.url ? { gctrace: false } : {}) },
    stopGraceMs: e.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
  };
  if (e.url) return [{ name, user: { kind: "url", url: e.url, common } }];
  const proc = { cwd: e.cwd ?? null, env: e.env ?? {} };
  if (e.command) return [{ name, user: { kind: "command", command: e.command, ...proc, common } }];
  if (!e.go) return [];
  const go = e.go;
  const one = (rev: string | null) => ({ kind: "go" as const, dir: go.dir, package: go.package, rev, args: e.args ?? [], ...proc, common });
  return go.revs ? go.revs.map((rev) => ({ name: `${name}@${rev}`, user: one(rev) })) : [{ name, user: one(null) }];
}

/** What the result records about a user target: enough to say later what was measured. */
export interface UserTargetRecord {
  form: "command" | "go" | "url";
  command?: string[];
  url?: string;
  cwd?: string;
  repo?: { dir: string; commit: string; dirty: boolean } | null;
  rev?: string | null;
  goVersion?: string;
  buildInfo?: string[];
  cachedBuild?: boolean;
}

export type PreparedUser =
  | { kind: "process"; argv: string[]; cwd: string; env: Record<string, string>; common: UserCommon; record: UserTargetRecord }
  | { kind: "url"; host: string; port: number; common: UserCommon; record: UserTargetRecord };
