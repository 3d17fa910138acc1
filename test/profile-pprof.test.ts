// The pprof reader on a hand-encoded profile.proto: time in samples whose locations carry no
// symbols, or that have no locations at all, stays in the total, as `go tool pprof` counts it.
import { describe, expect, it } from "vitest";

import { readPprof } from "../src/profile/pprof.js";

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}
const int = (no: number, v: number): number[] => [...varint(no << 3), ...varint(v)];
const msg = (no: number, body: number[]): number[] => [...varint((no << 3) | 2), ...varint(body.length), ...body];
const str = (s: string): number[] => msg(6, [...Buffer.from(s)]);
const packed = (no: number, vs: number[]): number[] => msg(no, vs.flatMap(varint));

// strings: 0 "", 1 samples, 2 count, 3 cpu, 4 nanoseconds, 5 main.work
const profile = Uint8Array.from([
  ...msg(1, [...int(1, 1), ...int(2, 2)]),
  ...msg(1, [...int(1, 3), ...int(2, 4)]),
  ...msg(2, [...packed(1, [1]), ...packed(2, [3, 30_000_000])]), // symbolized: main.work
  ...msg(2, [...packed(1, [2]), ...packed(2, [1, 10_000_000])]), // an address without symbols
  ...msg(2, [...packed(2, [2, 20_000_000])]), // no stack at all
  ...msg(4, [...int(1, 1), ...int(3, 0x401000), ...msg(4, int(1, 1))]),
  ...msg(4, [...int(1, 2), ...int(3, 0x7fff1234)]),
  ...msg(5, [...int(1, 1), ...int(2, 5)]),
  ...["", "samples", "count", "cpu", "nanoseconds", "main.work"].flatMap(str),
]);

describe("readPprof", () => {
  it("counts every sample's time, naming unsymbolized frames by address", () => {
    const p = readPprof(profile, ["cpu/nanoseconds"]);
    expect(p.total).toBe(60_000_000);
    expect(p.samples).toBe(6);
    expect(p.stacks.map((s) => s.frames.join(";")).sort()).toEqual(["0x7fff1234", "[no stack]", "main.work"]);
  });
});
