// A client process must not outlive its runner, even one killed with SIGKILL (which no handler
// sees). The runner holds the write end of the client's stdin: when the runner dies, the kernel
// closes it and stdin reads EOF. A re-parented process (ppid changed) is the second sign, for a
// client whose stdin is not a pipe. Either way no one is left to read the result, so the client
// kills itself at once: a cooperative stop can hang (a native load thread that does not see it
// keeps the exit waiting), and a hung client on 2 cores poisons the next run.
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

export function exitWithParent(): ParentWatch {
  const parent = process.ppid;
  const die = () => process.kill(process.pid, "SIGKILL");
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
