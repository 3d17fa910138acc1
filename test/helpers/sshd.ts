// Two throwaway "hosts" for the ssh topology's tests: two network namespaces joined by a veth
// (10.203.0.1 and 10.203.0.2), each running its own OpenSSH server with a throwaway host key that
// accepts one throwaway client key. An ssh config file (for EVBENCH_SSH_CONFIG, i.e. ssh -F) names
// them evb-server and evb-client and reaches each through `ip netns exec` as a ProxyCommand, so
// nothing listens outside the namespaces.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { wire } from "../../src/topology/link-wire.js";
import { createPair, removePair, type NamespacePair } from "../../src/topology/namespaces.js";

export interface SshHosts {
  config: string;
  pair: NamespacePair;
  close(): Promise<void>;
}

export function sshdUnavailableReason(): string | null {
  for (const bin of ["/usr/sbin/sshd", "ssh", "ssh-keygen"]) {
    if (spawnSync("sh", ["-c", `command -v ${bin}`]).status !== 0)
      return `${bin} is not installed (apt-get install openssh-server openssh-client)`;
  }
  return null;
}

function sshdConfig(dir: string, ns: string): string {
  return [
    "Port 22",
    `HostKey ${join(dir, "host_key")}`,
    `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
    "PermitRootLogin prohibit-password",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    "StrictModes no",
    `PidFile ${join(dir, `${ns}.pid`)}`,
    "",
  ].join("\n");
}

function sshConfig(dir: string, pair: NamespacePair): string {
  const proxy = join(dir, "proxy.cjs");
  const host = (name: string, ns: string) => [
    `Host ${name}`,
    `  HostName ${name}`,
    "  User root",
    `  IdentityFile ${join(dir, "client_key")}`,
    "  IdentitiesOnly yes",
    "  UserKnownHostsFile /dev/null",
    "  StrictHostKeyChecking no",
    "  LogLevel ERROR",
    `  ProxyCommand ip netns exec ${ns} ${process.execPath} ${proxy}`,
  ];
  return [...host("evb-server", pair.server), ...host("evb-client", pair.client), ""].join("\n");
}

const PROXY = `const s = require("net").connect(22, "127.0.0.1");
process.stdin.pipe(s); s.pipe(process.stdout);
s.on("close", () => process.exit(0)); s.on("error", () => process.exit(1));
`;

export async function startSshHosts(): Promise<SshHosts> {
  const dir = mkdtempSync(join(tmpdir(), "evbench-sshd-"));
  for (const k of ["host_key", "client_key"]) spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, k)]);
  writeFileSync(join(dir, "authorized_keys"), readFileSync(join(dir, "client_key.pub")));
  writeFileSync(join(dir, "proxy.cjs"), PROXY);
  mkdirSync("/run/sshd", { recursive: true }); // sshd's privilege separation directory
  const pair = await createPair({});
  await wire(pair, null);
  const daemons: ChildProcess[] = [];
  for (const ns of [pair.server, pair.client]) {
    writeFileSync(join(dir, `${ns}.conf`), sshdConfig(dir, ns));
    daemons.push(
      spawn("ip", ["netns", "exec", ns, "/usr/sbin/sshd", "-D", "-e", "-f", join(dir, `${ns}.conf`)], {
        stdio: ["ignore", "ignore", "pipe"],
      }),
    );
  }
  const config = join(dir, "ssh_config");
  writeFileSync(config, sshConfig(dir, pair));
  // Ready when a command runs on both.
  for (const h of ["evb-server", "evb-client"]) {
    for (let i = 0; ; i++) {
      if (spawnSync("ssh", ["-F", config, "-o", "BatchMode=yes", h, "true"], { timeout: 10_000 }).status === 0) break;
      if (i >= 50) throw new Error(`sshd on ${h} did not answer`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    config,
    pair,
    close: async () => {
      for (const d of daemons) d.kill("SIGTERM");
      await removePair(pair);
    },
  };
}
