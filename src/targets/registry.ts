// The registered targets: how each is started and why one may be unavailable.
// Every target implements the contract of docs/architecture.md, whatever its language.
import { existsSync } from "node:fs";
import { join } from "node:path";

import { ADDON_PATH, ROOT, TARGET_BIN_DIR } from "../paths.js";
import { userTargetDef } from "./user-def.js";
import type { PreparedUser } from "./user-prepare.js";
import type { UserTargetSpec } from "./user-spec.js";

export type TargetMode = "http" | "echo";

export interface TargetDef {
  name: string;
  description: string;
  language: "go" | "node" | "c" | "c++" | "any";
  modes: readonly TargetMode[];
  /** "contract": every answer of the target contract; otherwise the only requests it answers. */
  answers: "contract" | readonly string[];
  /** Executable and leading arguments; the contract's flags are appended by spawn. */
  command(): { cmd: string; args: string[] };
  /** null when it can run, else why not and how to fix it. */
  unavailableReason(): string | null;
  /** A target defined in the scenario (src/targets/user-*.ts): started, verified and read its own way. */
  user?: PreparedUser;
}

function goTarget(name: string, description: string, modes: readonly TargetMode[]): TargetDef {
  const bin = join(TARGET_BIN_DIR, name);
  return {
    name,
    description,
    language: "go",
    modes,
    answers: "contract",
    command: () => ({ cmd: bin, args: [] }),
    unavailableReason: () =>
      existsSync(bin)
        ? null
        : `${bin} is not built: install Go 1.26 or newer (https://go.dev/doc/install) and run npm run build:targets`,
  };
}

function nodeTarget(name: string, script: string, description: string, needsAddon: boolean): TargetDef {
  const file = join(ROOT, "targets", "node", script);
  return {
    name,
    description,
    language: needsAddon ? "c++" : "node",
    modes: ["http", "echo"],
    answers: "contract",
    command: () => ({ cmd: process.execPath, args: [file] }),
    unavailableReason: () => {
      if (!existsSync(file)) return `${file} is missing`;
      if (needsAddon && !existsSync(ADDON_PATH)) return `${ADDON_PATH} is not built: run npm run build:addon`;
      return null;
    },
  };
}

const cFloorBin = join(TARGET_BIN_DIR, "c-floor", "floor");
const standaloneBin = join(TARGET_BIN_DIR, "native-standalone", "native-standalone");

export const TARGETS: readonly TargetDef[] = [
  nodeTarget("native", "native.mjs", "the project's C++ epoll/kqueue server (addon) in its own Node process", true),
  {
    name: "native-standalone",
    description: "the same C++ server as native, in its own executable without Node",
    language: "c++",
    modes: ["http", "echo"],
    answers: "contract",
    command: () => ({ cmd: standaloneBin, args: [] }),
    unavailableReason: () => (existsSync(standaloneBin) ? null : `${standaloneBin} is not built: run npm run build:addon (needs cmake and a C++17 compiler)`),
  },
  nodeTarget("node-http", "http.mjs", "Node's http module", false),
  goTarget("nethttp", "Go net/http, a goroutine per connection", ["http", "echo"]),
  goTarget("gnet", "gnet v2 event loops (epoll), SO_REUSEPORT", ["http", "echo"]),
  goTarget("evio", "evio event loops (epoll)", ["http", "echo"]),
  goTarget("fasthttp", "fasthttp, a goroutine per connection with pooled buffers", ["http"]),
  goTarget("stdreader", "the handbook's 4.1 streaming io.Reader parser over net.Listener", ["http"]),
  {
    name: "c-floor",
    description: "the floor: a minimal C epoll responder (GET/HEAD /plaintext, POST /echo with Content-Length bodies, 404)",
    language: "c",
    modes: ["http"],
    answers: ["GET /plaintext", "HEAD /plaintext", "POST /echo"], // not chunked request bodies
    command: () => ({ cmd: cFloorBin, args: [] }),
    unavailableReason: () => (existsSync(cFloorBin) ? null : `${cFloorBin} is not built: run npm run build:targets (needs cc)`),
  },
];

export function findTarget(name: string): TargetDef | undefined {
  return TARGETS.find((t) => t.name === name);
}

/** A scenario's target: the user's own (defined in the scenario) or a registered one. */
export function targetDefOf(t: { name: string; user?: UserTargetSpec }): TargetDef | undefined {
  return t.user ? userTargetDef(t.name, t.user) : findTarget(t.name);
}
