// Where things live, relative to the package root (dist/ and src/ are one level below it).
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const SCENARIOS_DIR = join(ROOT, "scenarios");
/** EVBENCH_RESULTS_DIR moves results elsewhere (tests, CI, a shared results repository). */
export const RESULTS_DIR = process.env["EVBENCH_RESULTS_DIR"] ? resolve(process.env["EVBENCH_RESULTS_DIR"]) : join(ROOT, "results");
export const TARGET_BIN_DIR = join(ROOT, "build", "targets");
export const ADDON_PATH = join(ROOT, "build", "Release", "evbench_native.node");
export const DIST_DIR = join(ROOT, "dist");
