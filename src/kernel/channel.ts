// The loader's line channel: evb-kernel answers each command with one JSON line on stdout and
// says why it failed on stderr. A line that never comes, or an exit, is an answer too (an error).
import { spawnGroup, describeExit, type Spawned } from "../proc/spawn.js";

export interface LoaderChannel {
  /** The next line, parsed; rejects with the loader's own reason when it exits or stays silent. */
  next(timeoutMs: number): Promise<Record<string, unknown>>;
  send(line: string): void;
  /** Closes stdin (the loader stops) and waits for the exit, killing it after graceMs. */
  close(graceMs: number): Promise<void>;
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return lines[lines.length - 1] ?? "";
}

export function openLoader(loader: string, args: string[]): LoaderChannel {
  const p: Spawned = spawnGroup({ cmd: loader, args });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  p.onLine((line) => {
    const w = waiting.shift();
    if (w) w(line);
    else lines.push(line);
  });
  return {
    next: (timeoutMs) =>
      new Promise((resolve, reject) => {
        const parse = (line: string) => {
          try {
            resolve(JSON.parse(line) as Record<string, unknown>);
          } catch {
            reject(new Error(`evb-kernel answered ${JSON.stringify(line)}`));
          }
        };
        const queued = lines.shift();
        if (queued !== undefined) return parse(queued);
        const waiter = (line: string) => (clearTimeout(t), parse(line));
        const t = setTimeout(() => {
          // A line after the timeout belongs to the next question, not to this one.
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(new Error(`evb-kernel gave no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push(waiter);
        void p.exited.then((e) => {
          clearTimeout(t);
          // A line may still be on its way when the exit is seen: let it win.
          setImmediate(() => reject(new Error(lastLine(p.stderrTail()) || `evb-kernel ${describeExit(e)}`)));
        });
      }),
    send: (line) => {
      if (!p.hasExited()) p.child.stdin.write(`${line}\n`);
    },
    close: async (graceMs) => {
      p.child.stdin.end();
      const t = setTimeout(() => p.killGroup("SIGKILL"), graceMs);
      await p.exited;
      clearTimeout(t);
    },
  };
}
