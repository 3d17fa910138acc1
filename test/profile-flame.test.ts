// The flame graph and the share arithmetic on stacks written out by hand: widths follow weights,
// names from a profile are escaped, recursion counts once in a cumulative share, and the window's
// allocations are the end's counters minus the start's, stack by stack.
import { describe, expect, it } from "vitest";

import { flameSvg } from "../src/profile/flame.js";
import { functionShares, makeFolded, subtract } from "../src/profile/folded.js";
import { shareChanges } from "../src/profile/diff.js";

const stacks = makeFolded("cpu/nanoseconds", [
  { frames: ["main", "serve", "write"], weight: 60 },
  { frames: ["main", "serve", "parse<T>"], weight: 30 },
  { frames: ["main", "f", "f", "f"], weight: 10 },
]);

describe("folded stacks", () => {
  it("gives flat and cumulative shares, a recursive function once per stack", () => {
    const by = new Map(functionShares(stacks).map((t) => [t.name, t]));
    expect(by.get("write")!.flatShare).toBeCloseTo(0.6);
    expect(by.get("serve")!.cumShare).toBeCloseTo(0.9);
    expect(by.get("serve")!.flatShare).toBe(0);
    expect(by.get("f")!.cumShare).toBeCloseTo(0.1);
    expect(by.get("main")!.cumShare).toBeCloseTo(1);
  });

  it("subtracts a start profile stack by stack, never below zero", () => {
    const start = makeFolded("alloc_space/bytes", [
      { frames: ["main", "serve", "write"], weight: 50 },
      { frames: ["main", "gone"], weight: 5 },
    ]);
    const window = subtract(makeFolded("alloc_space/bytes", stacks.stacks), start);
    expect(window.total).toBe(10 + 30 + 10);
  });

  it("names the functions whose share moved, and only those", () => {
    const after = makeFolded("cpu/nanoseconds", [
      { frames: ["main", "serve", "write"], weight: 30 },
      { frames: ["main", "serve", "parse<T>"], weight: 60 },
      { frames: ["main", "f", "f", "f"], weight: 10 },
    ]);
    const changes = shareChanges(stacks, after, 3);
    // serve, main and f kept their shares: only the two that moved are named
    expect(changes.map((c) => c.name).sort()).toEqual(["parse<T>", "write"]);
    expect(changes[0]!.newFlat - changes[0]!.oldFlat).toBeCloseTo(Math.sign(changes[0]!.newFlat - changes[0]!.oldFlat) * 0.3);
  });
});

describe("flame graph", () => {
  it("draws one frame per call path, as wide as its weight, names escaped", () => {
    const svg = flameSvg(stacks, "a <title>");
    expect(svg).toContain("a &lt;title&gt;");
    expect(svg).toContain("parse&lt;T&gt; (30.00 %)");
    expect(svg).not.toContain("parse<T>");
    const width = (name: string) =>
      Number(new RegExp(`<title>${name} \\([^)]*\\)</title><rect x="[\\d.]+" y="\\d+" width="([\\d.]+)"`).exec(svg)![1]);
    expect(width("write") / width("serve")).toBeCloseTo(60 / 90, 2);
    expect(width("main")).toBeCloseTo(width("all"), 1);
    expect(svg.match(/<title>f \(/g)).toHaveLength(3); // f called by f called by f: three frames
  });
});
