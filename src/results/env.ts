// The environment fingerprint recorded in every result, and the hardware id derived from the
// parts of it that describe the machine (not the software), so results group by hardware.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";

import type { Environment } from "../model/index.js";

const SYSCTLS = [
  "net.core.somaxconn",
  "net.core.netdev_max_backlog",
  "net.core.rmem_max",
  "net.core.wmem_max",
  "net.ipv4.tcp_fastopen",
  "net.ipv4.tcp_max_syn_backlog",
  "net.ipv4.tcp_tw_reuse",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
  "net.ipv4.tcp_congestion_control",
  "fs.file-max",
  "kernel.sched_autogroup_enabled",
  "vm.overcommit_memory",
  "kernel.randomize_va_space",
];

function readTrim(path: string): string | null {
  try {
    return readFileSync(path, "utf8").trim().replace(/\s+/g, " ");
  } catch {
    return null;
  }
}

function run(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 5000 }).trim();
  } catch (e) {
    // wrk -v prints its version and exits 1
    const out = (e as { stdout?: string }).stdout;
    return typeof out === "string" && out.trim() ? out.trim() : null;
  }
}

export function cpuModel(): string {
  const info = readTrim("/proc/cpuinfo");
  const m = info ? /model name : ([^:]+?) (?:stepping|microcode|cpu MHz|flags)/.exec(info) : null;
  return m?.[1]?.trim() ?? os.cpus()[0]?.model.trim() ?? "unknown";
}

export function sysctls(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of SYSCTLS) {
    const v = readTrim(`/proc/sys/${k.replace(/\./g, "/")}`);
    if (v !== null) out[k] = v;
  }
  return out;
}

function limits(): Record<string, string> {
  const out: Record<string, string> = {};
  const text = readTrim("/proc/self/limits");
  const m = text ? /Max open files\s+(\S+)\s+(\S+)/.exec(text) : null;
  if (m) out["nofile"] = `${m[1]} ${m[2]}`;
  return out;
}

export function goVersion(): string | null {
  const v = run("go", ["env", "GOVERSION"]);
  return v?.startsWith("go") ? v : null;
}

function tools(): Record<string, string> {
  const out: Record<string, string> = {};
  const wrk = run("wrk", ["-v"]);
  if (wrk) out["wrk"] = wrk.split("\n")[0] ?? wrk;
  const cc = run("cc", ["--version"]);
  if (cc) out["cc"] = cc.split("\n")[0] ?? cc;
  const taskset = run("taskset", ["--version"]);
  if (taskset) out["taskset"] = taskset.split("\n")[0] ?? taskset;
  return out;
}

/** The machine, not its software: CPU model, core count, memory (GiB) and architecture. */
export function hardwareId(model: string, cores: number, memBytes: number, arch: string): string {
  const gib = Math.round(memBytes / 2 ** 30);
  const hash = createHash("sha256").update(`${model}|${cores}|${gib}|${arch}`).digest("hex").slice(0, 8);
  const slug = model
    .toLowerCase()
    .replace(/\(r\)|\(tm\)|cpu|processor|@.*$/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40);
  return `${slug || "cpu"}-${cores}c-${gib}g-${hash}`;
}

export function fingerprint(): Omit<Environment, "targets"> {
  const model = cpuModel();
  const cores = os.cpus().length;
  const memBytes = os.totalmem();
  const governorPath = "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor";
  return {
    hardwareId: hardwareId(model, cores, memBytes, os.arch()),
    hostname: os.hostname(),
    cpuModel: model,
    cores,
    memBytes,
    kernel: os.release(),
    os: `${os.type()} ${readTrim("/etc/debian_version") ? `Debian ${readTrim("/etc/debian_version")}` : ""}`.trim(),
    arch: os.arch(),
    governor: existsSync(governorPath) ? readTrim(governorPath) : null,
    sysctl: sysctls(),
    limits: limits(),
    node: process.version,
    go: goVersion(),
    tools: tools(),
  };
}

export function gitState(cwd: string): { commit: string | null; dirty: boolean | null } {
  const commit = run("git", ["-C", cwd, "rev-parse", "HEAD"]);
  if (!commit || !/^[0-9a-f]{40}$/.test(commit)) return { commit: null, dirty: null };
  // Results being written do not make the source dirty.
  const status = run("git", ["-C", cwd, "status", "--porcelain", "--", ".", ":(exclude)results"]);
  return { commit, dirty: status === null ? null : status.length > 0 };
}
