// The checks a scenario with connection levels passes before anything runs: the levels ascend,
// each fits this machine's descriptors and ports (a 1M level here is refused at once), memory
// cgroups can be made, and target and generator share this host (the probes read its /proc).
import { BadInputError } from "../errors.js";
import { findCgroupRoot } from "../cgroup/memory.js";
import type { Scenario } from "../scenario/load.js";
import { loadGenFeatures } from "../load/native-addon.js";
import { readMachineLimits, staticRefusal, type MachineLimits } from "./capacity.js";

/** Until the generator spreads connections (issue 22's generator side), one process, one source address. */
const ONE_PROCESS_ONE_ADDRESS = { generatorProcesses: 1, sourceAddresses: 1 };

/** connectRate and active reach the generator only where it declares them (LoadGen.features):
 *  a generator that ignored them would measure something else than the scenario asks. */
function checkGeneratorFields(s: Scenario, features: () => readonly string[]): void {
  const asked = (["connectRate", "active"] as const).filter((k) => s.scaling?.[k] !== undefined);
  if (asked.length === 0) return;
  const generators = new Set(s.targets.flatMap((t) => t.variants.map((v) => v.load.generator)));
  const lacking = generators.has("native") ? asked.filter((k) => !features().includes(k)) : asked;
  if (generators.size > 1 || !generators.has("native") || lacking.length > 0) {
    throw new BadInputError(
      `${s.file}: scaling.${(lacking.length > 0 ? lacking : asked).join(", scaling.")} needs the native generator with that feature (this build's LoadGen.features: ${features().join(", ") || "none"}); remove it or rebuild the addon with it`,
    );
  }
}

export function checkLevels(
  s: Scenario,
  limits: MachineLimits = readMachineLimits(),
  features: () => readonly string[] = loadGenFeatures,
): void {
  const sec = s.scaling;
  if (!sec) return;
  checkGeneratorFields(s, features);
  const where = `${s.file}: scaling.connections`;
  const levels = sec.connections;
  for (let i = 1; i < levels.length; i++) {
    if (levels[i]! <= levels[i - 1]!)
      throw new BadInputError(`${where}: the levels must ascend (${levels[i - 1]} then ${levels[i]}); list them from the smallest`);
  }
  for (const n of levels) {
    const why = staticRefusal(n, limits, ONE_PROCESS_ONE_ADDRESS);
    if (why) throw new BadInputError(`${where}: ${why}`);
  }
  if (s.hosts.topology !== "local")
    throw new BadInputError(
      `${s.file}: connection levels run on the local topology only (their probes read this host's /proc and cgroups); drop --topology ${s.hosts.topology}`,
    );
  const root = findCgroupRoot();
  if ("unavailable" in root)
    throw new BadInputError(
      `${s.file}: connection levels need memory cgroups: ${root.unavailable}; mount one (or run as root where one is)`,
    );
}
