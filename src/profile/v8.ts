// V8's .cpuprofile (Chrome DevTools' format, written by node:inspector's Profiler.stop): a call
// tree of nodes and a list of samples with the time since the previous one. Each sample's time is
// the gap to the next sample (how DevTools attributes it); "(idle)" is kept out of the total, so
// shares are of the time the process was running.
import { basename } from "node:path";

import { makeFolded, type Folded, type Stack } from "./folded.js";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface V8Node {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface V8Profile {
  nodes: V8Node[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

const IDLE = "(idle)";

function frameName(c: CallFrame): string {
  const fn = c.functionName || "(anonymous)";
  if (!c.url) return fn;
  return `${fn} ${basename(c.url)}:${c.lineNumber + 1}`;
}

/** Node id -> its stack of names, root first (the "(root)" frame left out). */
function stacksById(p: V8Profile): Map<number, string[]> {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = new Map<number, string[]>();
  for (const n of p.nodes) {
    const frames: string[] = [];
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (node && node.callFrame.functionName !== "(root)") frames.push(frameName(node.callFrame));
    }
    out.set(n.id, frames.reverse());
  }
  return out;
}

export function readV8(p: V8Profile): Folded {
  if (!Array.isArray(p.nodes)) throw new Error("not a V8 .cpuprofile: no nodes");
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  const stacks = stacksById(p);
  const weights = new Map<number, number>();
  let t = p.startTime;
  const times = deltas.map((d) => (t += d));
  for (let i = 0; i < samples.length; i++) {
    const next = i + 1 < times.length ? times[i + 1]! : p.endTime;
    const w = Math.max(0, next - (times[i] ?? next));
    weights.set(samples[i]!, (weights.get(samples[i]!) ?? 0) + w);
  }
  let idle = 0;
  const out: Stack[] = [];
  for (const [id, w] of weights) {
    const frames = stacks.get(id) ?? [];
    if (frames.length === 1 && frames[0] === IDLE) idle += w;
    else out.push({ frames, weight: w });
  }
  return makeFolded("cpu/microseconds", out, { label: "idle", weight: idle }, samples.length);
}
