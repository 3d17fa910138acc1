#!/usr/bin/env node
// Builds the Go targets into <repoRoot>/build/targets/<name>.
// Without a Go toolchain it says which targets are unavailable and exits 0,
// so `npm install` still succeeds on a machine without Go; a compile error
// exits 1 with the compiler's output.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const moduleDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(moduleDir, '..', '..');
const outDir = join(repoRoot, 'build', 'targets');
const targets = ['nethttp', 'gnet', 'evio', 'fasthttp', 'stdreader'];

const probe = spawnSync('go', ['version'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  console.log(
    `go targets unavailable (${targets.join(', ')}): no 'go' on PATH; install Go 1.26 or newer from https://go.dev/dl/ and run 'node targets/go/build.mjs'`,
  );
  process.exit(0);
}

mkdirSync(outDir, { recursive: true });
// One go command for all of them: the module is loaded once and the links run in parallel.
// -ldflags=-w leaves out the DWARF debug tables (the bulk of link time); symbols stay, so
// profiles and stack traces still name every function.
const started = Date.now();
const r = spawnSync('go', ['build', '-trimpath', '-ldflags=-w', '-o', outDir + '/', ...targets.map((t) => `./cmd/${t}`)], {
  cwd: moduleDir,
  encoding: 'utf8',
});
if (r.error || r.status !== 0) {
  process.stderr.write(r.stderr || String(r.error) + '\n');
  console.error(`go targets (${targets.join(', ')}): build failed`);
  process.exit(1);
}
console.log(`go targets ${targets.join(', ')}: ${outDir} (${probe.stdout.trim().split(' ')[2]}, ${Date.now() - started} ms)`);
