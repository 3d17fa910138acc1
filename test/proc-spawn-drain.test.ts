// The contract the load clients rely on: when \`exited\` resolves, every line of the child's stdout
// has been delivered (Node says the streams may still be open at 'exit'). A client's result is
// its last line, often hundreds of KiB with its interval histograms.
import { describe, expect, it } from "vitest";

import { spawnGroup } from "../src/proc/spawn.js";

describe("spawnGroup", () => {
  it("reports the exit only after every line of stdout was read", async () => {
    // a 1 MiB last line: the child blocks on the full pipe until the last 64 KiB, then exits
    const script = `head -c 1048576 /dev/zero | tr '\\0' x; echo`;
    for (let round = 0; round < 20; round++) {
      const p = spawnGroup({ cmd: "sh", args: ["-c", script] });
      const lines: string[] = [];
      p.onLine((l) => lines.push(l));
      const exit = await p.exited;
      expect(exit.code).toBe(0);
      expect(lines.map((l) => l.length)).toEqual([1048576]);
    }
  });
});
