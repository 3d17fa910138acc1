#!/usr/bin/env node
// Builds the eBPF probes and their loader into build/bpf/: vmlinux.h generated from this
// kernel's BTF by bpftool (CO-RE: the programs then load on any kernel with BTF, and the header
// is never committed), the BPF objects by clang, their skeletons by bpftool, and `evb-kernel`
// (C, libbpf). A missing tool or header is not a failure of the install: the reason is written
// to build/bpf/unavailable, which the probes report as theirs; a compile error is a failure.
//   --out <dir>   build there instead (the tests build a copy of their own)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outArg = process.argv.indexOf("--out");
const out = outArg > 0 && process.argv[outArg + 1] ? resolve(process.argv[outArg + 1]) : join(here, "..", "..", "build", "bpf");
const BTF = "/sys/kernel/btf/vmlinux";
const PROGRAMS = ["probes", "dropper"];
const LOADER = ["main.c", "run_probes.c", "run_dropper.c"];
const cc = process.env.CC ?? "cc";

function has(tool, args = ["--version"]) {
  return spawnSync(tool, args, { stdio: "ignore" }).status === 0;
}

function missing() {
  if (!has("clang")) return "clang is not installed (apt-get install clang)";
  if (!has("bpftool", ["version"])) return "bpftool is not installed (apt-get install bpftool)";
  if (!existsSync("/usr/include/bpf/libbpf.h")) return "libbpf's headers are not installed (apt-get install libbpf-dev)";
  if (!existsSync(BTF)) return `this kernel has no BTF (${BTF}): CO-RE programs cannot be built or loaded`;
  if (!has(cc)) return `no C compiler (${cc})`;
  return null;
}

function run(tool, args, stdoutFile) {
  const r = spawnSync(tool, args, { cwd: out, stdio: ["ignore", stdoutFile ? "pipe" : "inherit", "inherit"], maxBuffer: 1 << 30 });
  if (r.status !== 0) {
    process.stderr.write(`evbench: ${tool} ${args.join(" ")} failed\n`);
    process.exit(1);
  }
  if (stdoutFile) writeFileSync(join(out, stdoutFile), r.stdout);
}

mkdirSync(out, { recursive: true });
const reason = missing();
if (reason !== null) {
  writeFileSync(join(out, "unavailable"), `${reason}\n`);
  rmSync(join(out, "evb-kernel"), { force: true });
  process.stderr.write(`evbench: eBPF probes not built: ${reason}\n`);
  process.exit(0);
}
rmSync(join(out, "unavailable"), { force: true });
run("bpftool", ["btf", "dump", "file", BTF, "format", "c"], "vmlinux.h");
const arch = { x64: "x86", arm64: "arm64" }[process.arch] ?? process.arch;
for (const p of PROGRAMS) {
  run("clang", ["-g", "-O2", "-Wall", "-target", "bpf", `-D__TARGET_ARCH_${arch}`, "-I", out, "-I", here, "-c", join(here, `${p}.bpf.c`), "-o", `${p}.bpf.o`]);
  run("bpftool", ["gen", "skeleton", `${p}.bpf.o`], `${p}.skel.h`);
}
run(cc, ["-O2", "-Wall", "-Wextra", "-I", out, "-I", here, ...LOADER.map((f) => join(here, f)), "-lbpf", "-lelf", "-lz", "-o", "evb-kernel"]);
