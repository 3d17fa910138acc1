// Loss by eBPF on a bench link: a netns scenario whose lossy row has `loss: {by: "ebpf"}`. The
// relay only delays (its own draw drops nothing), the droppers drop, the run's link record counts
// their drops, and the kernel probes of the same run see them as TC_INGRESS drops of the target's
// port and see the retransmissions they force.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kernelProbesAvailability } from "../src/kernel/availability.js";
import { parseResultFile } from "../src/results/upgrade.js";
import { runCli } from "./helpers/cli.js";

describe.skipIf(!kernelProbesAvailability().ok)("loss by eBPF on a link", () => {
  it("drops in the kernel, counted by the link record and by the probes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ebpf-link-"));
    const scenario = join(dir, "ebpf-link.json");
    writeFileSync(
      scenario,
      JSON.stringify({
        name: "ebpf-link",
        targets: [
          {
            name: "native",
            variants: [
              { name: "relay-loss", link: { lossPct: 5 } },
              { name: "ebpf-loss", link: { lossPct: 5, loss: { by: "ebpf" } } },
            ],
          },
        ],
        serverThreads: 1,
        load: { generator: "native", connections: 4, path: "/plaintext" },
        warmupS: 0.5,
        durationS: 2,
        repetitions: 1,
        cpus: null,
        hosts: { topology: "netns" },
        link: { delayMs: 2 },
      }),
    );
    const r = await runCli(["bench", scenario, "--json", "-q"], { EVBENCH_RESULTS_DIR: dir }).done;
    rmSync(dir, { recursive: true, force: true });
    // The terminal shows the kernel panel and says who dropped.
    expect(r.stderr).toContain("Kernel (eBPF)");
    expect(r.stderr).toContain("TC_INGRESS");
    expect(r.stderr).toContain("(relay, loss by eBPF)");
    const result = parseResultFile(JSON.parse(r.stdout));
    const [relay, ebpf] = result.runs;
    if (relay?.status !== "ok" || ebpf?.status !== "ok") throw new Error(`runs failed: ${r.stderr}`);
    const link = ebpf.network!.link!;
    expect(relay.network!.link!.ebpf).toBeUndefined();
    expect(link.ebpf).toBeDefined();
    const ebpfDropped = link.ebpf!.toServer.dropped + link.ebpf!.toClient.dropped;
    expect(ebpfDropped).toBeGreaterThan(0);
    if (link.engine === "relay") expect(link.toServer!.dropped + link.toClient!.dropped).toBe(0);
    expect(ebpf.kernel?.status).toBe("measured");
    if (ebpf.kernel?.status !== "measured") return;
    const tcIngress = ebpf.kernel.drops.reasons["TC_INGRESS"] ?? 0;
    // The probes attach a moment after the link's counters are read and detach a moment before.
    expect(tcIngress).toBeGreaterThan(0);
    expect(tcIngress).toBeLessThanOrEqual(ebpfDropped + 10);
    expect(ebpf.kernel.tcp.retransmits).toBeGreaterThan(0);
  }, 90_000);
});
