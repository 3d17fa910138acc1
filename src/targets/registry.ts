// The registered targets: how each is started and why one may be unavailable.
// Every target implements the contract of docs/architecture.md, whatever its language.
import { MODES, type Protocol } from "../model/index.js";
import { existsSync } from "node:fs";
import { join } from "node:path";

import { ADDON_PATH, ROOT, TARGET_BIN_DIR } from "../paths.js";
import { userTargetDef } from "./user-def.js";
import type { TargetDef, TargetMode } from "./target-def.js";
import type { UserTargetSpec } from "./user-spec.js";

export type { TargetDef, TargetMode } from "./target-def.js";

/** Every HTTP protocol: TLS with h1 and h2 over ALPN, and h2c. */
const ALL_PROTOCOLS: readonly Protocol[] = ["h1", "h1-tls", "h2-tls", "h2c"];
const H1_ONLY: readonly Protocol[] = ["h1"];
/** The native server: TLS with HTTP/1.1 (OpenSSL, epoll loops; a build without libssl refuses it, exit 2). */
const NATIVE_PROTOCOLS: readonly Protocol[] = ["h1", "h1-tls"];

function goTarget(name: string, description: string, modes: readonly TargetMode[], protocols = H1_ONLY): TargetDef {
  const bin = join(TARGET_BIN_DIR, name);
  return {
    name,
    description,
    language: "go",
    modes,
    protocols,
    answers: "contract",
    command: () => ({ cmd: bin, args: [] }),
    unavailableReason: () =>
      existsSync(bin) ? null : `${bin} is not built: install Go 1.26 or newer (https://go.dev/doc/install) and run npm run build:targets`,
  };
}

function nodeTarget(name: string, script: string, description: string, needsAddon: boolean, protocols = H1_ONLY): TargetDef {
  const file = join(ROOT, "targets", "node", script);
  return {
    name,
    description,
    language: needsAddon ? "c++" : "node",
    modes: [...MODES],
    protocols,
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
  nodeTarget("native", "native.mjs", "the project's C++ epoll/kqueue server (addon) in its own Node process", true, NATIVE_PROTOCOLS),
  {
    name: "native-standalone",
    description: "the same C++ server as native, in its own executable without Node",
    language: "c++",
    modes: [...MODES],
    protocols: NATIVE_PROTOCOLS,
    answers: "contract",
    command: () => ({ cmd: standaloneBin, args: [] }),
    unavailableReason: () =>
      existsSync(standaloneBin) ? null : `${standaloneBin} is not built: run npm run build:addon (needs cmake and a C++17 compiler)`,
  },
  nodeTarget("node-http", "http.mjs", "Node's http module (TLS and h2c: its http2 module)", false, ALL_PROTOCOLS),
  goTarget("nethttp", "Go net/http, a goroutine per connection", [...MODES], ALL_PROTOCOLS),
  goTarget("gnet", "gnet v2 event loops (epoll), SO_REUSEPORT", [...MODES]),
  goTarget("evio", "evio event loops (epoll)", [...MODES]),
  goTarget("fasthttp", "fasthttp, a goroutine per connection with pooled buffers", ["http"], ["h1", "h1-tls"]),
  goTarget("stdreader", "the handbook's 4.1 streaming io.Reader parser over net.Listener", ["http"]),
  {
    name: "c-floor",
    description: "the floor: a minimal C epoll responder (GET/HEAD /plaintext, POST /echo with Content-Length bodies, 404)",
    language: "c",
    modes: ["http"],
    protocols: H1_ONLY,
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
