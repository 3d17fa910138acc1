// How the runner sees a target: registered (src/targets/registry.ts) or the user's own
// (src/targets/user-def.ts).
import type { Mode, Protocol } from "../model/index.js";
import type { PreparedUser } from "./user-prepare.js";

export type TargetMode = Mode;

export interface TargetDef {
  name: string;
  description: string;
  language: "go" | "node" | "c" | "c++" | "any";
  modes: readonly TargetMode[];
  /** The wire protocols it speaks in HTTP mode (`h1` always; TLS with `--tls-cert/--tls-key`, `--h2c`). */
  protocols: readonly Protocol[];
  /** "contract": every answer of the target contract; otherwise the only requests it answers. */
  answers: "contract" | readonly string[];
  /** Executable and leading arguments; the contract's flags are appended by spawn. */
  command(): { cmd: string; args: string[] };
  /** null when it can run, else why not and how to fix it. */
  unavailableReason(): string | null;
  /** A target defined in the scenario (src/targets/user-*.ts): started, verified and read its own way. */
  user?: PreparedUser;
}
