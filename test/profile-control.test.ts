// The Node targets' side of profile-start/profile-stop on real processes: node-http writes a V8
// .cpuprofile over the window and answers in order with stats; its cluster primary and the
// native target answer unsupported rather than leave a question unanswered.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { describe, expect, it } from "vitest";

import { readV8 } from "../src/profile/v8.js";
import { ROOT } from "./helpers/cli.js";

/** Starts a Node target, sends each question once READY, returns its answers (one line each). */
async function converse(script: string, args: string[], questions: string[]): Promise<Record<string, unknown>[]> {
  const child = spawn(process.execPath, [join(ROOT, "targets", "node", script), "--port", "0", ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const answers: Record<string, unknown>[] = [];
  const exited = new Promise((r) => child.on("exit", r));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script}: ${answers.length} of ${questions.length} answers in 20 s`)), 20_000);
      lines.on("line", (line) => {
        if (line.startsWith("READY ")) {
          for (const q of questions) child.stdin.write(`${q}\n`);
          return;
        }
        answers.push(JSON.parse(line) as Record<string, unknown>);
        if (answers.length === questions.length) clearTimeout(timer), resolve();
      });
    });
  } finally {
    child.stdin.end();
    await exited;
  }
  return answers;
}

describe("Node targets' profile commands", () => {
  it("node-http writes a V8 CPU profile and answers in the order asked", async () => {
    const prefix = join(mkdtempSync(join(tmpdir(), "evbench-profile-ctl-")), "node-http-default-rep0");
    const a = await converse("http.mjs", [], ["stats", `profile-start ${prefix}`, "stats", "profile-stop", "stats", "profile-stop"]);
    expect(a.map((x) => Object.keys(x)[0])).toEqual(["runtime", "started", "runtime", "cpu", "runtime", "error"]);
    expect(a[3]!.cpu).toBe(`${prefix}.cpuprofile`);
    expect(existsSync(`${prefix}.cpuprofile`)).toBe(true);
    const profile = readV8(JSON.parse(readFileSync(`${prefix}.cpuprofile`, "utf8")));
    expect(profile.samples).toBeGreaterThan(0);
  });

  it("node-http's cluster primary and the native target answer unsupported", async () => {
    const cluster = await converse("http.mjs", ["--threads", "2"], ["profile-start /nonexistent/x", "stats"]);
    expect(cluster[0]!.unsupported).toMatch(/--threads 1/);
    expect(cluster[1]!.runtime).toBe("node");
    const native = await converse("native.mjs", [], ["profile-start /nonexistent/x", "profile-stop", "stats"]);
    expect(native[0]!.unsupported).toMatch(/C\+\+ threads/);
    expect(native[1]!.unsupported).toBeDefined();
    expect(native[2]!.runtime).toBe("native");
  });
});
