// Go's pprof profiles (gzip'd profile.proto) read without Go: samples, locations, functions and
// the string table are all the top table and the flame graph need.
import { gunzipSync } from "node:zlib";

import { makeFolded, type Folded } from "./folded.js";
import { fields, pushVarints, varintOf, type Field } from "./protobuf.js";

interface RawProfile {
  sampleTypes: { type: number; unit: number }[];
  samples: { locations: number[]; values: number[] }[];
  /** location id -> its function ids (innermost, inlined, first) and its address */
  locations: Map<number, { fns: number[]; address: number }>;
  /** function id -> name's string index */
  functions: Map<number, number>;
  strings: string[];
}

const bytesOf = (f: Field): Uint8Array => (f.wire === 2 ? f.bytes : new Uint8Array());
const decoder = new TextDecoder();

function readSample(buf: Uint8Array): RawProfile["samples"][number] {
  const s = { locations: [] as number[], values: [] as number[] };
  for (const f of fields(buf)) {
    if (f.no === 1) pushVarints(f, s.locations);
    else if (f.no === 2) pushVarints(f, s.values);
  }
  return s;
}

function readLocation(buf: Uint8Array): [number, { fns: number[]; address: number }] {
  let id = 0;
  let address = 0;
  const fns: number[] = [];
  for (const f of fields(buf)) {
    if (f.no === 1) id = varintOf(f);
    else if (f.no === 3) address = varintOf(f);
    else if (f.no === 4) {
      for (const line of fields(bytesOf(f))) if (line.no === 1) fns.push(varintOf(line));
    }
  }
  return [id, { fns, address }];
}

function readFunction(buf: Uint8Array): [number, number] {
  let id = 0;
  let name = 0;
  for (const f of fields(buf)) {
    if (f.no === 1) id = varintOf(f);
    else if (f.no === 2) name = varintOf(f);
  }
  return [id, name];
}

function readValueType(buf: Uint8Array): { type: number; unit: number } {
  const t = { type: 0, unit: 0 };
  for (const f of fields(buf)) {
    if (f.no === 1) t.type = varintOf(f);
    else if (f.no === 2) t.unit = varintOf(f);
  }
  return t;
}

function readRaw(buf: Uint8Array): RawProfile {
  const p: RawProfile = { sampleTypes: [], samples: [], locations: new Map(), functions: new Map(), strings: [] };
  for (const f of fields(buf)) {
    if (f.no === 1) p.sampleTypes.push(readValueType(bytesOf(f)));
    else if (f.no === 2) p.samples.push(readSample(bytesOf(f)));
    else if (f.no === 4) p.locations.set(...readLocation(bytesOf(f)));
    else if (f.no === 5) p.functions.set(...readFunction(bytesOf(f)));
    else if (f.no === 6) p.strings.push(decoder.decode(bytesOf(f)));
  }
  return p;
}

/** The sample types a profile holds, e.g. ["samples/count", "cpu/nanoseconds"]. */
export function sampleTypesOf(p: RawProfile): string[] {
  return p.sampleTypes.map((t) => `${p.strings[t.type] ?? "?"}/${p.strings[t.unit] ?? "?"}`);
}

/**
 * A stack of function names, root first; inlined frames appear as their own frames. A location
 * without symbols is named by its address and a sample without locations by "[no stack]", as
 * pprof names them: pprof counts their time in the total, and so must we.
 */
function framesOf(p: RawProfile, locations: number[]): string[] {
  const frames: string[] = [];
  for (const id of locations) {
    const loc = p.locations.get(id);
    if (!loc || loc.fns.length === 0) frames.push(`0x${(loc?.address ?? 0).toString(16)}`);
    else for (const fn of loc.fns) frames.push(p.strings[p.functions.get(fn) ?? 0] || "?");
  }
  if (frames.length === 0) frames.push("[no stack]");
  return frames.reverse();
}

/**
 * A pprof file as folded stacks weighted by one of its sample types: `want` is tried in order
 * (e.g. ["cpu/nanoseconds"], ["alloc_space/bytes"]), else the last type.
 */
export function readPprof(gz: Uint8Array, want: string[]): Folded {
  const raw = readRaw(gz[0] === 0x1f && gz[1] === 0x8b ? gunzipSync(gz) : gz);
  const types = sampleTypesOf(raw);
  if (types.length === 0) throw new Error("not a pprof profile: no sample types");
  const found = want.map((w) => types.indexOf(w)).find((i) => i >= 0);
  const index = found ?? types.length - 1;
  const stacks = raw.samples.map((s) => ({ frames: framesOf(raw, s.locations), weight: s.values[index] ?? 0 }));
  const counts = types.indexOf("samples/count");
  const samples = counts >= 0 ? raw.samples.reduce((a, s) => a + (s.values[counts] ?? 0), 0) : null;
  return makeFolded(types[index]!, stacks, null, samples);
}
