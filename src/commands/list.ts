// `list`: the scenarios, targets and generators, and what is unavailable and why.
import { readdirSync } from "node:fs";
import { join } from "node:path";

import { generatorProtocols } from "../load/protocols.js";
import { GENERATORS } from "../load/registry.js";
import { protocolOfLoad } from "../model/index.js";
import { SCENARIOS_DIR } from "../paths.js";
import { readScenario } from "../scenario/load.js";
import { TARGETS } from "../targets/registry.js";
import { renderTable } from "../ui/table.js";
import { defineCommand } from "./define.js";

/** The scenario load's protocol when it is not plain HTTP/1.1 (its variants may say more). */
function protocolNote(l: { tls: boolean; h2: boolean; streams: number }): string {
  const p = protocolOfLoad(l);
  if (p === "h1") return "";
  return l.h2 ? ` over ${p}, ${l.streams} stream${l.streams > 1 ? "s" : ""}` : ` over ${p}`;
}

export async function listCommand(): Promise<string> {
  const scen = readdirSync(SCENARIOS_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      try {
        const s = readScenario(join(SCENARIOS_DIR, f), SCENARIOS_DIR);
        const l = s.load;
        return [
          s.name,
          `${s.mode === "echo" ? `echo ${l.bodyBytes}B messages` : `http ${l.method} ${l.path}${l.bodyBytes ? ` ${l.bodyBytes}B` : ""}`}${protocolNote(l)}, ${l.connections} conn, pipeline ${l.pipeline}, ${l.generator}`,
          `${s.autoReps ? "auto" : s.repetitions} x ${s.durationS}s`,
          s.targets.map((t) => t.name + (t.variants.length > 1 ? `(${t.variants.length} variants)` : "")).join(" "),
        ];
      } catch (e) {
        return [f.replace(/\.json$/, ""), `INVALID: ${(e as Error).message.split("\n")[1]?.trim() ?? (e as Error).message}`, "", ""];
      }
    });
  const targets = TARGETS.map((t) => [
    t.name,
    t.language,
    t.modes.join(","),
    t.protocols.join(","),
    t.unavailableReason() ?? "ok",
    t.description,
  ]);
  const gens = await Promise.all(
    Object.values(GENERATORS).map(async (g) => {
      const why = await g.unavailableReason();
      return [g.name, why ?? "ok", why === null ? generatorProtocols(g.name) : ""];
    }),
  );
  return [
    "Scenarios (npm run bench -- <name>):",
    renderTable(["name", "load", "reps", "targets"], scen),
    "",
    "Targets (npm run target -- <name>):",
    renderTable(["name", "language", "modes", "protocols", "status", "what"], targets),
    "",
    "Generators (--generator <name>):",
    renderTable(["name", "status", "protocols"], gens),
  ].join("\n");
}

export const listSpec = defineCommand({
  name: "list",
  summary: "scenarios, targets, generators, and what is unavailable",
  positionals: [],
  options: {},
  run: async () => ({ text: await listCommand(), exitCode: 0 }),
});
