// Builds the c-floor target: build/targets/c-floor/floor from floor.c with the system C compiler.
// Node ESM, no dependencies; exits with the compiler's status.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const outDir = join(repo, 'build', 'targets', 'c-floor');
mkdirSync(outDir, { recursive: true });
const cc = process.env.CC || 'cc';
const args = ['-O2', '-Wall', '-o', join(outDir, 'floor'), join(here, 'floor.c'), '-lpthread'];
const r = spawnSync(cc, args, { stdio: 'inherit' });
if (r.error) {
  console.error(`c-floor: cannot run ${cc}: ${r.error.message}`);
  process.exit(1);
}
if (r.status !== 0) process.exit(r.status ?? 1);
console.log(join(outDir, 'floor'));
