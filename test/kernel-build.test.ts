// The eBPF build: with clang, bpftool and libbpf it makes vmlinux.h, both objects, their
// skeletons and the loader, which then loads and attaches the probes (as root); without clang it
// writes the reason and still exits 0, so that an install never fails for it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

const BUILD = join(ROOT, "native", "bpf", "build.mjs");
const dir = mkdtempSync(join(tmpdir(), "ebpf-build-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tools =
  ["clang", "bpftool"].every((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status === 0) && existsSync("/usr/include/bpf/libbpf.h");

describe("eBPF build", () => {
  it("without clang: the reason in unavailable, exit 0, no loader", () => {
    const out = join(dir, "no-tools");
    const r = spawnSync(process.execPath, [BUILD, "--out", out], { encoding: "utf8", env: { ...process.env, PATH: "/nonexistent" } });
    expect(r.status).toBe(0);
    expect(readFileSync(join(out, "unavailable"), "utf8")).toMatch(/^clang is not installed/);
    expect(existsSync(join(out, "evb-kernel"))).toBe(false);
  });

  it.skipIf(!tools)(
    "with the tools: CO-RE objects, skeletons and a loader that loads the probes",
    () => {
      const out = join(dir, "built");
      const r = spawnSync(process.execPath, [BUILD, "--out", out], { encoding: "utf8", timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
      for (const f of ["vmlinux.h", "probes.bpf.o", "probes.skel.h", "dropper.bpf.o", "dropper.skel.h", "evb-kernel"])
        expect(existsSync(join(out, f)), f).toBe(true);
      expect(existsSync(join(out, "unavailable"))).toBe(false);
      if (process.getuid?.() !== 0) return;
      const check = spawnSync(join(out, "evb-kernel"), ["check"], { encoding: "utf8", timeout: 20_000 });
      expect(check.status, check.stderr).toBe(0);
      expect(JSON.parse(check.stdout)).toMatchObject({ ok: true });
    },
    150_000,
  );
});
