// The kernel probes as one measurement window uses them: loaded before the load starts (loading
// takes a moment), attached when the window opens, to the target's process group as it is then
// and the target's port, detached when it closes. Over ssh the target is on another host.
import { groupPids } from "../probe/proc.js";
import { prepareKernelProbes, type PreparedKernelProbes } from "./probes.js";
import type { KernelWindow } from "../model/index.js";

export class KernelWindowProbes {
  private opened: Promise<void> | null = null;
  private result: Promise<KernelWindow> | null = null;

  private constructor(
    private readonly probes: PreparedKernelProbes,
    private readonly targetPid: number,
  ) {}

  /** `off`: why this window goes without probes (another host, the variant's kernelProbes: false). */
  static async prepare(targetPid: number, port: number, off: string | null): Promise<KernelWindowProbes> {
    const probes =
      off !== null
        ? { open: async () => {}, stop: async (): Promise<KernelWindow> => ({ status: "unavailable", reason: off }) }
        : await prepareKernelProbes({ pids: [targetPid], ports: [port] });
    return new KernelWindowProbes(probes, targetPid);
  }

  static offReason(remote: boolean, variantOff: boolean): string | null {
    if (remote) return "the target runs on another host (ssh topology)";
    return variantOff ? "turned off by the variant (kernelProbes: false)" : null;
  }

  open(): void {
    this.opened = this.probes.open(groupPids(this.targetPid));
  }

  close(): void {
    this.result = (this.opened ?? Promise.resolve()).then(() => this.probes.stop());
  }

  /** What the window saw; a window that never opened only releases the loader. */
  async window(): Promise<KernelWindow> {
    return this.result ?? this.probes.stop();
  }
}
