// `doctor` lines for the topologies: whether the netns topology can run here, which link engine it
// would use, and whether ssh is there. Never "missing": local runs need none of them.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";

import { RELAY_BIN } from "./link-relay.js";
import { netnsUnavailableReason } from "./ip.js";

export interface TopologyCheck {
  what: string;
  level: "ok" | "warn";
  found: string;
  fix: string;
}

function netemPresent(): boolean {
  if (existsSync("/sys/module/sch_netem")) return true;
  try {
    execFileSync("modinfo", ["sch_netem"], { stdio: "ignore", timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export function topologyChecks(): TopologyCheck[] {
  const why = netnsUnavailableReason();
  const relay = existsSync(RELAY_BIN) && existsSync("/dev/net/tun");
  const netem = netemPresent();
  // ssh -V prints its version on stderr.
  const v = spawnSync("ssh", ["-V"], { encoding: "utf8", timeout: 5000 });
  const ssh = v.error ? null : `${v.stderr}${v.stdout}`.trim().split("\n")[0] || "present";
  return [
    {
      what: "netns topology",
      level: why ? "warn" : "ok",
      found: why ?? "root and iproute2",
      fix: why ? "only for --topology netns (T8, T10)" : "",
    },
    {
      what: "link engine",
      level: netem || relay ? "ok" : "warn",
      found: netem ? `netem (kernel ${os.release()})` : relay ? "link-relay over TUN (no sch_netem in this kernel)" : "none",
      fix: netem || relay ? "" : `npm install builds ${RELAY_BIN}; /dev/net/tun must exist (modprobe tun)`,
    },
    {
      what: "ssh client",
      level: ssh ? "ok" : "warn",
      found: ssh ?? "not found",
      fix: ssh ? "" : "only for --topology ssh: apt-get install openssh-client",
    },
  ];
}
