// A client's first import, evaluated before the heavy modules (the addon, hdr-histogram-js) load:
// a SIGTERM or SIGINT during start-up is remembered instead of killing the client by default
// action, so a stopped client still answers with what it measured (perhaps nothing) rather than
// dying without a result. The first signal stops; a second one kills, as before.
let requested = false;
const listeners: (() => void)[] = [];

function onSignal(): void {
  requested = true;
  process.off("SIGTERM", onSignal);
  process.off("SIGINT", onSignal);
  for (const fn of listeners.splice(0)) fn();
}

process.on("SIGTERM", onSignal);
process.on("SIGINT", onSignal);

/** Calls `fn` at the first SIGTERM/SIGINT, or now if one came already. */
export function onStop(fn: () => void): void {
  if (requested) fn();
  else listeners.push(fn);
}

/** The work is done: signals have their default action again. */
export function releaseStop(): void {
  listeners.length = 0;
  process.off("SIGTERM", onSignal);
  process.off("SIGINT", onSignal);
}
