// A client process must not outlive its runner, even one killed with SIGKILL (which no handler
// sees). The runner holds the write end of the client's stdin: when the runner dies, the kernel
// closes it and stdin reads EOF. A re-parented process (ppid changed) is the second sign, for a
// client whose stdin is not a pipe. Either way the client stops its load and exits.
import { fstatSync } from "node:fs";

const PPID_POLL_MS = 250;

export interface ParentWatch {
  /** The work is done: stop watching, so the process can end on its own. */
  release(): void;
}

function stdinIsPipe(): boolean {
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}

export function exitWithParent(stop: () => void): ParentWatch {
  const parent = process.ppid;
  let gone = false;
  const die = () => {
    if (gone) return;
    gone = true;
    stop();
    // Give a stopping generator a moment to end its threads, then leave whatever they do.
    setTimeout(() => process.exit(3), 200).unref();
  };
  const pipe = stdinIsPipe();
  if (pipe) {
    process.stdin.on("end", die);
    process.stdin.on("error", die);
    process.stdin.resume();
  }
  const t = setInterval(() => {
    if (process.ppid !== parent) die();
  }, PPID_POLL_MS);
  t.unref();
  return {
    release: () => {
      clearInterval(t);
      if (!pipe) return;
      process.stdin.off("end", die);
      process.stdin.off("error", die);
      process.stdin.destroy();
    },
  };
}
