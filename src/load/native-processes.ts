// The native client process as the parent of several (native-split.ts): it starts one child
// client per share, in its own process group (so the runner's CPU sampling and its stop reach
// them all), starts their loads at one instant once all are ready, relays one merged progress
// and phase, and answers with their results merged exactly (merge-results.ts).
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";

import { deserializeResult, emit, parseClientLine, serializeResult, type ClientMessage } from "./client-protocol.js";
import { mergeLoadResults } from "./merge-results.js";
import { sendSpec } from "./spec-pipe.js";
import type { NativeSpec } from "./native-split.js";
import type { LoadResult, Progress } from "./types.js";
import { exitWithParent } from "./watchdog.js";

// Between "go" and the load's start: time for the line to reach every child.
const GO_LEAD_MS = 50;
const STDERR_KEEP = 2000;

interface Child {
  proc: ChildProcessWithoutNullStreams;
  progress: Progress | null;
  result: LoadResult | null;
  error: string | null;
  stderr: string;
}

/** Sums the children's last progress lines; the merged p99 is not known until the end. */
function mergedProgress(children: Child[]): Progress | null {
  const all = children.map((c) => c.progress).filter((p): p is Progress => p !== null && !p.final);
  const first = all[0];
  if (first === undefined) return null;
  const phase = all.some((p) => p.phase === "warmup") ? "warmup" : "measure";
  return {
    phase,
    elapsedS: Math.max(...all.map((p) => p.elapsedS)),
    requests: all.reduce((a, p) => a + p.requests, 0),
    errors: all.reduce((a, p) => a + p.errors, 0),
    p99Us: null,
  };
}

function relay(children: Child[]) {
  let ready = 0,
    started = 0,
    ended = 0;
  return (c: Child, m: ClientMessage) => {
    switch (m.type) {
      case "ready":
        if (++ready === children.length) {
          const at = Date.now() + GO_LEAD_MS;
          for (const x of children) x.proc.stdin.write(`go ${at}\n`);
        }
        break;
      case "measure-start":
        if (++started === children.length) emit({ type: "measure-start" }); // the window: all measuring
        break;
      case "measure-end":
        if (++ended === 1) emit({ type: "measure-end" }); // ... until the first is done
        break;
      case "progress": {
        c.progress = m;
        const p = mergedProgress(children);
        if (p !== null && !m.final) emit({ type: "progress", ...p });
        break;
      }
      case "result":
        c.result = deserializeResult(m.result);
        break;
      case "error":
        c.error = m.message;
        for (const x of children) if (x !== c) x.proc.kill("SIGTERM");
        break;
    }
  };
}

function start(script: string, spec: NativeSpec): Child {
  // Not detached: the children stay in this process's group.
  const proc = spawn(process.execPath, [script], { stdio: ["pipe", "pipe", "pipe"] });
  const share: NativeSpec = { ...spec, waitForGo: true };
  sendSpec(proc.stdin, share); // its share, on its stdin as every client's
  const c: Child = { proc, progress: null, result: null, error: null, stderr: "" };
  proc.stderr.setEncoding("utf8");
  proc.stderr.on("data", (d: string) => (c.stderr = (c.stderr + d).slice(-STDERR_KEEP)));
  return c;
}

export async function runProcesses(script: string, parts: NativeSpec[]): Promise<void> {
  const children = parts.map((p) => start(script, p));
  const onMessage = relay(children);
  const stop = () => {
    for (const c of children) c.proc.kill("SIGTERM");
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  const watch = exitWithParent(); // the children watch this process the same way
  try {
    await Promise.all(
      children.map((c) => {
        createInterface({ input: c.proc.stdout }).on("line", (line) => {
          const m = parseClientLine(line);
          if (m) onMessage(c, m);
        });
        return new Promise<void>((resolve) => c.proc.once("close", () => resolve()));
      }),
    );
  } finally {
    watch.release();
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
  }
  const failed = children.find((c) => c.error !== null || c.result === null);
  if (failed !== undefined) {
    const why = failed.error ?? `exited without a result${failed.stderr ? `; its stderr: ${failed.stderr.trim()}` : ""}`;
    throw new Error(`generator process ${children.indexOf(failed) + 1} of ${children.length}: ${why}`);
  }
  const merged = mergeLoadResults(children.map((c) => c.result!));
  const p99Us = merged.requests > 0 ? merged.latency.getValueAtPercentile(99) : null;
  emit({
    type: "progress",
    phase: "measure",
    elapsedS: (parts[0]?.warmupS ?? 0) + merged.durationS, // since the load began, as on every progress line
    requests: merged.answered ?? merged.requests,
    errors: Object.values(merged.errors).reduce((a, n) => a + n, 0),
    p99Us,
    final: true,
    lastSecondRps: merged.perSecond.at(-1) ?? null,
  });
  emit({ type: "result", result: serializeResult(merged) });
}
