// doctor's eBPF line: whether the kernel probes and the loss dropper can run here, proved by
// loading and attaching the probes once (`evb-kernel check`), and if not, why and what to do.
import { spawnSync } from "node:child_process";
import { release } from "node:os";
import { kernelProbesAvailability } from "./availability.js";

export interface KernelCheck {
  what: string;
  level: "ok" | "warn";
  found: string;
  fix: string;
}

const WHAT = "eBPF kernel probes";

export function kernelProbesCheck(): KernelCheck {
  const a = kernelProbesAvailability();
  if (!a.ok) {
    const build = a.reason.startsWith("not built") ? " (apt-get install clang libbpf-dev bpftool, then npm install)" : "";
    return { what: WHAT, level: "warn", found: "unavailable", fix: `${a.reason}${build}; runs measure everything else` };
  }
  const r = spawnSync(a.loader, ["check"], { encoding: "utf8", timeout: 15_000 });
  if (r.status !== 0) {
    const why =
      (r.stderr ?? "").trim().split("\n").pop() || `evb-kernel check ${r.signal ? `killed by ${r.signal}` : `exited with ${r.status}`}`;
    return { what: WHAT, level: "warn", found: "cannot load", fix: why };
  }
  const lossProbes = /"lossProbes":true/.test(r.stdout);
  return {
    what: WHAT,
    level: "ok",
    found: `loaded and attached (kernel ${release()}, BTF)`,
    fix: lossProbes
      ? ""
      : "tail-loss probes are not counted here (no kprobe events: tracefs is not mounted or kprobes are off); the rest is",
  };
}
