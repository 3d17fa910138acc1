// Which results folder a command writes or reads: the user's own by default (src/paths.ts), the
// repository's published results/ only with --publish. Declared once for bench, sweep, report
// and compare, so the rule and its help text are the same everywhere.
import { PUBLISHED_RESULTS_DIR, RESULTS_DIR } from "../paths.js";
import { flag } from "./options.js";

export const resultsDirOptions = {
  publish: flag({
    help: `the repository's published results/ (maintainers' runs) instead of ${RESULTS_DIR} (EVBENCH_RESULTS_DIR moves it)`,
  }),
};

export function resultsDirOf(v: { publish: boolean }): string {
  return v.publish ? PUBLISHED_RESULTS_DIR : RESULTS_DIR;
}
