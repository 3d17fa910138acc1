// Whether the kernel probes can run here, and if not, why: the loader built (build/bpf), root or
// CAP_BPF with CAP_PERFMON, the kernel's BTF. The one answer for the runner and for `doctor`.
import { existsSync, readFileSync } from "node:fs";
import { release } from "node:os";
import { join } from "node:path";
import { ROOT } from "../paths.js";

export const BPF_DIR = join(ROOT, "build", "bpf");
export const LOADER_PATH = join(BPF_DIR, "evb-kernel");
const BTF = "/sys/kernel/btf/vmlinux";
const CAP_PERFMON = 38n;
const CAP_BPF = 39n;
const CAP_SYS_ADMIN = 21n;
/** tp_btf programs on sched and sock tracepoints, and CAP_BPF: 5.8. */
const MIN_KERNEL: readonly [number, number] = [5, 8];

export type Availability = { ok: true; loader: string } | { ok: false; reason: string };

function effectiveCaps(): bigint {
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync("/proc/self/status", "latin1"));
  return m ? BigInt(`0x${m[1]}`) : 0n;
}

function hasCap(caps: bigint, cap: bigint): boolean {
  return ((caps >> cap) & 1n) === 1n;
}

function kernelTooOld(): string | null {
  const m = /^(\d+)\.(\d+)/.exec(release());
  if (!m) return null;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const [wantMajor, wantMinor] = MIN_KERNEL;
  return major < wantMajor || (major === wantMajor && minor < wantMinor)
    ? `kernel ${release()} is older than ${wantMajor}.${wantMinor}`
    : null;
}

export function kernelProbesAvailability(): Availability {
  if (process.platform !== "linux") return { ok: false, reason: "eBPF probes need Linux" };
  const skipped = join(BPF_DIR, "unavailable");
  if (existsSync(skipped)) return { ok: false, reason: `not built: ${readFileSync(skipped, "utf8").trim()}` };
  if (!existsSync(LOADER_PATH))
    return { ok: false, reason: "not built (npm install builds build/bpf/evb-kernel when clang, bpftool and libbpf-dev are installed)" };
  const old = kernelTooOld();
  if (old) return { ok: false, reason: old };
  if (!existsSync(BTF)) return { ok: false, reason: `the kernel has no BTF (${BTF})` };
  const caps = effectiveCaps();
  if (!hasCap(caps, CAP_SYS_ADMIN) && !(hasCap(caps, CAP_BPF) && hasCap(caps, CAP_PERFMON)))
    return { ok: false, reason: "needs root, or CAP_BPF and CAP_PERFMON (run as root, or setcap cap_bpf,cap_perfmon+ep on node)" };
  return { ok: true, loader: LOADER_PATH };
}
