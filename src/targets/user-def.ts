// A user target seen through the registry's TargetDef, so the runner treats it like any row.
// Its start, verification and counters are its own (def.user routes them to src/targets/user-*).
import type { TargetDef } from "./target-def.js";
import type { UserTargetSpec } from "./user-spec.js";

export function userTargetDef(name: string, u: UserTargetSpec): TargetDef {
  const p = u.prepared;
  const what = p ? (p.record.form === "url" ? p.record.url! : p.record.command!.join(" ")) : u.kind;
  return {
    name,
    description: `the user's own server (${u.kind}): ${what}`,
    language: u.kind === "go" ? "go" : "any", // a command or a URL may be anything
    modes: ["http"],
    protocols: ["h1"], // the runner cannot know the flags a user's server takes for TLS
    // Verified by src/targets/user-verify.ts against the scenario's check, not the contract.
    answers: "contract",
    command: () => ({ cmd: p?.kind === "process" ? p.argv[0]! : "", args: p?.kind === "process" ? p.argv.slice(1) : [] }),
    unavailableReason: () => (p ? null : "not prepared: bench builds and checks user targets before the first run"),
    ...(p ? { user: p } : {}),
  };
}
