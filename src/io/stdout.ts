// Writing the final output when stdout may fail: `--json > /dev/full` (ENOSPC), a reader that
// went away (EPIPE). A failed write is remembered instead of crashing the process with an
// unhandled 'error' event, so the command line can say so in one line and put the output on
// stderr rather than lose a measured summary.
let failure: NodeJS.ErrnoException | null = null;

/** Call once at start: from then on a stdout error is kept, not thrown. */
export function guardStdout(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    failure ??= e;
  });
}

/** Writes `text` to stdout; resolves with the first error stdout had (this write's or earlier), or null. */
export function writeStdout(text: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    if (failure || text === "") return resolve(failure);
    process.stdout.write(text, (e) => resolve(failure ?? (e as NodeJS.ErrnoException | null | undefined) ?? null));
  });
}

/** "ENOSPC: no space left on device" from a write error. */
export function describeWriteError(e: unknown): string {
  if (e instanceof Error) return e.message.replace(/, write$/, "").replace(/, open '.*'$/, "");
  return String(e);
}
