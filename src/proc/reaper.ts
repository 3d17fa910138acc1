// The last resort: every process group the runner starts is registered here and SIGKILLed when
// the runner's process exits (normally or on an uncaught error). Cancellation itself flows down
// through AbortSignals; a runner killed with SIGKILL runs no handler at all, so each child also
// watches its parent (stdin EOF for clients and targets, PR_SET_PDEATHSIG for wrk).
const groups = new Set<number>();
let installed = false;

function killAll(signal: NodeJS.Signals): void {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, signal);
    } catch {
      // already gone
    }
  }
}

export function trackGroup(pgid: number): void {
  install();
  groups.add(pgid);
}

export function untrackGroup(pgid: number): void {
  groups.delete(pgid);
}

export function liveGroups(): number[] {
  return [...groups];
}

/** Kills every tracked group at once (SIGKILL): for exits where nothing can be awaited. */
export function reapAll(): void {
  killAll("SIGKILL");
  groups.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", () => reapAll());
}
