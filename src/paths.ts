// Where things live, relative to the package root (dist/ and src/ are one level below it).
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const SCENARIOS_DIR = join(ROOT, "scenarios");
/** The repository's published results (tracked in git, read by the published report): written
 *  only on purpose, with --publish. */
export const PUBLISHED_RESULTS_DIR = join(ROOT, "results");
/** Where runs go by default, outside the repository so a throwaway run never becomes the
 *  published report's newest result: EVBENCH_RESULTS_DIR (tests, CI, a shared results folder),
 *  else $XDG_DATA_HOME/evbench/results, else ~/.local/share/evbench/results. */
export const RESULTS_DIR = userResultsDir(process.env);

function userResultsDir(env: NodeJS.ProcessEnv): string {
  if (env["EVBENCH_RESULTS_DIR"]) return resolve(env["EVBENCH_RESULTS_DIR"]);
  const data = env["XDG_DATA_HOME"] ? resolve(env["XDG_DATA_HOME"]) : join(homedir(), ".local", "share");
  return join(data, "evbench", "results");
}
export const TARGET_BIN_DIR = join(ROOT, "build", "targets");
export const ADDON_PATH = join(ROOT, "build", "Release", "evbench_native.node");
export const DIST_DIR = join(ROOT, "dist");
