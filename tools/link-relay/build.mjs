// Builds the link relay (a small user-space netem over TUN devices, for the netns topology):
// build/tools/link-relay from relay.c with the system C compiler. Exits with the compiler's status.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const outDir = join(repo, 'build', 'tools');
mkdirSync(outDir, { recursive: true });
const cc = process.env.CC || 'cc';
const r = spawnSync(cc, ['-O2', '-Wall', '-Wextra', '-o', join(outDir, 'link-relay'), join(here, 'relay.c')], { stdio: 'inherit' });
if (r.error) {
  console.error(`link-relay: cannot run ${cc}: ${r.error.message}`);
  process.exit(1);
}
if (r.status !== 0) process.exit(r.status ?? 1);
console.log(join(outDir, 'link-relay'));
