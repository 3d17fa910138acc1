// `doctor`: the toolchains, builds, limits and kernel settings that decide whether a benchmark
// here can be trusted, each with what to do about it.
import { topologyChecks } from "../topology/doctor.js";
import { kernelProbesCheck } from "../kernel/doctor.js";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";

import { ADDON_PATH } from "../paths.js";
import { nativeH2Support, nativeTlsSupport } from "../load/protocols.js";
import { sysctls } from "../results/env.js";
import { TARGETS } from "../targets/registry.js";
import { ktlsUnavailableReason } from "../tls/ktls.js";
import { nativeServerTls } from "../tls/native-tls.js";
import { renderTable } from "../ui/table.js";
import { defineCommand, type Outcome } from "./define.js";

type Level = "ok" | "warn" | "missing";
interface Check {
  what: string;
  level: Level;
  found: string;
  fix: string;
}

function version(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 5000 })
      .split("\n")[0]!
      .trim();
  } catch (e) {
    const err = e as { code?: string; stdout?: string; stderr?: string };
    if (err.code === "ENOENT") return null;
    return (err.stdout || err.stderr || "").split("\n")[0]!.trim() || "present";
  }
}

function tool(what: string, cmd: string, args: string[], fix: string, required: boolean): Check {
  const v = version(cmd, args);
  return { what, level: v ? "ok" : required ? "missing" : "warn", found: v ?? "not found", fix: v ? "" : fix };
}

/** The machine's size, limits and sysctls that move results. */
function machineChecks(): Check[] {
  const checks: Check[] = [];
  const cores = os.cpus().length;
  checks.push({
    what: "CPUs",
    level: cores >= 2 ? "ok" : "warn",
    found: `${cores}`,
    fix: cores >= 2 ? "" : "with one CPU the client and the server share it: results describe both at once",
  });
  const limits = readFileSync("/proc/self/limits", "utf8");
  const nofile = Number(/Max open files\s+(\S+)/.exec(limits)?.[1] ?? 0);
  checks.push({
    what: "open files (soft)",
    level: nofile >= 65536 ? "ok" : "warn",
    found: String(nofile),
    fix: nofile >= 65536 ? "" : "ulimit -n 65536 before many-connection scenarios",
  });
  const sc = sysctls();
  const somax = Number(sc["net.core.somaxconn"] ?? 0);
  checks.push({
    what: "net.core.somaxconn",
    level: somax >= 4096 ? "ok" : "warn",
    found: String(somax),
    fix: somax >= 4096 ? "" : "sysctl -w net.core.somaxconn=4096 (accept backlog under connection storms)",
  });
  const tfo = Number(sc["net.ipv4.tcp_fastopen"] ?? 0);
  checks.push({
    what: "net.ipv4.tcp_fastopen",
    level: (tfo & 3) === 3 ? "ok" : "warn",
    found: String(tfo),
    fix: (tfo & 3) === 3 ? "" : "sysctl -w net.ipv4.tcp_fastopen=3 (client and server TFO, for the fast-open scenarios)",
  });
  const range = (sc["net.ipv4.ip_local_port_range"] ?? "").split(" ").map(Number);
  const width = range.length === 2 ? range[1]! - range[0]! : 0;
  checks.push({
    what: "ephemeral ports",
    level: width >= 28000 ? "ok" : "warn",
    found: sc["net.ipv4.ip_local_port_range"] ?? "unknown",
    fix: width >= 28000 ? "" : 'sysctl -w net.ipv4.ip_local_port_range="1024 65000" (keep-alive-off scenarios use many ports)',
  });
  const gov = "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor";
  const g = existsSync(gov) ? readFileSync(gov, "utf8").trim() : null;
  checks.push({
    what: "CPU governor",
    level: g === null || g === "performance" ? "ok" : "warn",
    found: g ?? "not exposed (virtual machine?)",
    fix: g === null || g === "performance" ? "" : "cpupower frequency-set -g performance (frequency scaling moves results)",
  });
  return checks;
}

/** What the TLS targets need: openssl for the run's certificates, and whether kTLS can engage. */
function tlsChecks(): Check[] {
  const ktls = ktlsUnavailableReason();
  const native = nativeServerTls();
  return [
    {
      what: "native server TLS",
      level: native.unavailable ? "warn" : "ok",
      found: native.unavailable ? "unavailable" : native.version,
      fix: native.unavailable ?? "",
    },
    tool("openssl", "openssl", ["version"], "apt-get install openssl (makes the run-time certificates of the TLS targets)", false),
    { what: "kernel TLS (kTLS)", level: ktls ? "warn" : "ok", found: ktls ? "unavailable" : "tls ULP available", fix: ktls ?? "" },
  ];
}

export function doctorChecks(): Check[] {
  const checks: Check[] = [];
  const [maj, min] = process.versions.node.split(".").map(Number) as [number, number];
  checks.push({
    what: "Node.js",
    level: maj > 20 || (maj === 20 && min >= 17) ? "ok" : "missing",
    found: process.version,
    fix: maj > 20 || (maj === 20 && min >= 17) ? "" : "install Node.js 20.17 or newer",
  });
  checks.push(tool("C++ compiler", "c++", ["--version"], "apt-get install g++ (builds the addon and c-floor)", true));
  checks.push(tool("cmake", "cmake", ["--version"], "apt-get install cmake (cmake-js builds the addon with it)", true));
  checks.push(
    tool(
      "Go",
      "go",
      ["version"],
      "install Go 1.26 or newer (https://go.dev/doc/install; the go.mod of targets/go needs 1.26), then npm run build:targets",
      false,
    ),
  );
  checks.push(tool("taskset", "taskset", ["--version"], "apt-get install util-linux (CPU pinning of server and client)", false));
  checks.push(tool("wrk", "wrk", ["-v"], "apt-get install wrk (the wrk generator, for cross-checks)", false));
  checks.push(tool("clang (fuzzing)", "clang++", ["--version"], "apt-get install clang libfuzzer-14-dev (the C++ fuzz targets)", false));
  checks.push(...tlsChecks());
  checks.push({
    what: "native addon",
    level: existsSync(ADDON_PATH) ? "ok" : "missing",
    found: existsSync(ADDON_PATH) ? ADDON_PATH : "not built",
    fix: existsSync(ADDON_PATH) ? "" : "npm run build:addon",
  });
  if (existsSync(ADDON_PATH)) {
    const tls = nativeTlsSupport();
    checks.push({
      what: "native generator TLS (https)",
      level: tls.unavailable === null ? "ok" : "warn",
      found: tls.unavailable === null ? (tls.library ?? "present") : "unavailable",
      fix: tls.unavailable ?? "",
    });
    const h2 = nativeH2Support();
    checks.push({
      what: "native generator HTTP/2",
      level: h2.unavailable === null ? "ok" : "warn",
      found: h2.unavailable === null ? (h2.library ?? "present") : "unavailable",
      fix: h2.unavailable ?? "",
    });
  }
  for (const t of TARGETS) {
    const why = t.unavailableReason();
    const found = why ? "unavailable" : `ready (${t.protocols.join(", ")})`;
    checks.push({ what: `target ${t.name}`, level: why ? "warn" : "ok", found, fix: why ?? "" });
  }
  checks.push(...topologyChecks());
  checks.push(kernelProbesCheck());
  checks.push(...machineChecks());
  return checks;
}

export function doctorCommand(): Outcome {
  const checks = doctorChecks();
  const text = renderTable(
    ["check", "status", "found", "what to do"],
    checks.map((c) => [c.what, c.level === "ok" ? "ok" : c.level.toUpperCase(), c.found, c.fix]),
  );
  return { text, exitCode: checks.some((c) => c.level === "missing") ? 1 : 0 };
}

export const doctorSpec = defineCommand({
  name: "doctor",
  summary: "toolchains, builds, limits and kernel settings",
  positionals: [],
  options: {},
  run: async () => doctorCommand(),
});
