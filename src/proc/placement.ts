// Where a process runs: a command prefix that places it (`ip netns exec <ns>`, `ssh <host>`),
// and whether the rest of the command line must be quoted for a remote shell (ssh joins its
// arguments with spaces and hands them to the remote user's shell). Plain data, so it can travel
// inside a load spec.
export interface Placement {
  prefix: string[];
  /** Quote every word after the prefix for a POSIX shell (ssh). */
  shell: boolean;
  /** Where this installation's root is on the remote host ([here, there]); null = the same path. */
  rootMap?: [string, string] | null;
  /** The remote host's node (replaces this process's own path to node); default: the same path. */
  node?: string;
  /** Set as EVBENCH_MARK in the process's environment, so a sampler on the remote host finds it. */
  mark?: string;
}

export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_/.,:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The argv that starts `argv` in its place (unchanged without a placement). A remote shell
 * does not inherit our environment: the process's own variables go on its command line. */
export function placeArgv(p: Placement | null | undefined, argv: string[], env: Record<string, string> = {}): string[] {
  if (!p || p.prefix.length === 0) return argv;
  if (!p.shell) return [...p.prefix, ...argv];
  const map = p.rootMap;
  const mapped = map ? argv.map((w) => (w.startsWith(map[0]) ? map[1] + w.slice(map[0].length) : w)) : argv;
  const words = p.node ? mapped.map((w) => (w === process.execPath ? p.node! : w)) : mapped;
  const vars = Object.entries({ ...env, ...(p.mark ? { EVBENCH_MARK: p.mark } : {}) }).map(([k, v]) => `${k}=${v}`);
  return [...p.prefix, ["exec", ...(vars.length > 0 ? ["env", ...vars] : []), ...words].map(shellQuote).join(" ")];
}
