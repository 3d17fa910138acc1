// `target` in the foreground: it serves until SIGTERM even when its stdin is /dev/null (a
// script's background job), answers requests meanwhile, and an address in use is exit 2 with one
// line. Real processes on loopback.
import { spawn, spawnSync } from "node:child_process";
import { openSync } from "node:fs";
import http from "node:http";
import net from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { CLI, ROOT } from "./helpers/cli.js";

const children: number[] = [];

afterEach(() => {
  for (const pid of children.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
});

function get(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: "/plaintext", agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      })
      .on("error", reject);
  });
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const a = s.address();
  const port = typeof a === "object" && a ? a.port : 0;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function waitForOutput(read: () => string, pattern: RegExp, ms: number): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (pattern.test(read())) resolve();
      else if (Date.now() > until) reject(new Error(`no ${pattern} in: ${read()}`));
      else setTimeout(tick, 50);
    };
    tick();
  });
}

describe("npm run target in the foreground", () => {
  it("serves with stdin at /dev/null until SIGTERM, then exits 0", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, "target", "node-http", "--port", String(port)], {
      cwd: ROOT,
      stdio: [openSync("/dev/null", "r"), "pipe", "pipe"],
    });
    children.push(child.pid!);
    let out = "";
    child.stdout?.on("data", (d) => (out += d));
    child.stderr?.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    await waitForOutput(() => out, /READY \d+/, 20_000);
    // Well after stdin's EOF, it still answers.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await get(port)).toBe(200);
    expect(await get(port)).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    await expect(get(port)).rejects.toThrow();
  });

  it("refuses an address in use with one line and exit 2", async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, "127.0.0.1", r));
    const a = holder.address();
    const port = typeof a === "object" && a ? a.port : 0;
    try {
      const r = spawnSync(process.execPath, [CLI, "target", "node-http", "--port", String(port)], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 20_000,
        stdio: ["ignore", "pipe", "pipe"],
      });
      expect(r.status).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toEqual([
        `evbench: --port ${port}: 127.0.0.1:${port} is already in use; stop what listens there or pick another port`,
      ]);
    } finally {
      holder.close();
    }
  });

  it("refuses an unknown target with the registered names", () => {
    const r = spawnSync(process.execPath, [CLI, "target", "nginx"], { cwd: ROOT, encoding: "utf8", timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^evbench: no target named "nginx"; registered: native, native-standalone, node-http/);
  });
  it("takes the target along when it is killed with SIGKILL (the target sees stdin EOF)", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, "target", "node-http", "--port", String(port)], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child.pid!);
    let out = "";
    child.stdout?.on("data", (d) => (out += d));
    await waitForOutput(() => out, /READY \d+/, 20_000);
    expect(await get(port)).toBe(200);
    child.kill("SIGKILL");
    const until = Date.now() + 5000;
    let gone = false;
    while (!gone && Date.now() < until) {
      gone = await get(port).then(
        () => false,
        () => true,
      );
      if (!gone) await new Promise((r) => setTimeout(r, 100));
    }
    expect(gone).toBe(true);
  });
});
