// Whether a process id names a living process (of any user): used to tell a dead runner's
// leftovers (temporary files, namespaces) from those of a runner still at work.
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
