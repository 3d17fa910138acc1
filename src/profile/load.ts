// A run's recorded profiles read back as folded stacks (pprof or V8, by file name), and their
// flame graphs written beside them (`<prefix>.cpu.svg`, `<prefix>.heap.svg`).
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import type { RunProfile } from "../model/index.js";
import { readBounded } from "../io/bounded-read.js";
import { flameSvg } from "./flame.js";
import { subtract, type Folded } from "./folded.js";
import { readPprof } from "./pprof.js";
import { readV8, type V8Profile } from "./v8.js";

export type ProfileKind = "cpu" | "heap";

/** CPU: time on the CPU; heap: bytes allocated (pprof's allocs profile, since the process began). */
const WANT: Record<ProfileKind, string[]> = { cpu: ["cpu/nanoseconds"], heap: ["alloc_space/bytes"] };

export function readProfileFile(file: string, kind: ProfileKind): Folded {
  const bytes = readBounded(file, "profile", "profile");
  if (file.endsWith(".cpuprofile")) return readV8(JSON.parse(bytes.toString("utf8")) as V8Profile);
  return readPprof(bytes, WANT[kind]);
}

/** `a.cpu.pprof`, `a.cpuprofile` -> `a.cpu.svg`; `a.heap.pprof` -> `a.heap.svg`. */
export function flamePathOf(file: string, kind: ProfileKind): string {
  return file.replace(/(\.cpu\.pprof|\.heap\.pprof|\.cpuprofile)$/, "") + `.${kind}.svg`;
}

export interface LoadedProfiles {
  cpu: Folded | null;
  heap: Folded | null;
  /** Files named in the run that could not be read, each with why. */
  problems: string[];
}

/** The run's profiles, paths taken relative to the result file's folder. */
export function loadRunProfiles(resultDir: string, p: RunProfile): LoadedProfiles {
  const out: LoadedProfiles = { cpu: null, heap: null, problems: [] };
  const read = (rel: string, kind: ProfileKind): Folded | null => {
    try {
      return readProfileFile(join(resultDir, rel), kind);
    } catch (e) {
      out.problems.push(`${rel}: ${(e as Error).message}`);
      return null;
    }
  };
  if (p.cpu) out.cpu = read(p.cpu, "cpu");
  if (p.heap) out.heap = read(p.heap, "heap");
  // The window's allocations: the profile at its end minus the one at its start.
  const base = out.heap && p.heapBase ? read(p.heapBase, "heap") : null;
  if (out.heap && base) out.heap = subtract(out.heap, base);
  return out;
}

/** Draws the flame graph of each profile the run has; returns the files written. */
export function writeFlames(resultDir: string, p: RunProfile, title: string): string[] {
  const loaded = loadRunProfiles(resultDir, p);
  const written: string[] = [];
  for (const kind of ["cpu", "heap"] as const) {
    const f = loaded[kind];
    if (!f || !p[kind]) continue;
    const svg = join(resultDir, flamePathOf(p[kind]!, kind));
    const what =
      kind === "cpu" ? `CPU (${f.unit})` : `allocated ${p.heapBase ? "over the window" : "since the process started"} (${f.unit})`;
    writeFileSync(svg, flameSvg(f, `${title}: ${what}`));
    written.push(svg);
  }
  return written;
}

/** The flame graph beside a profile file, relative like it; null when none was drawn. */
export function existingFlame(resultDir: string, rel: string | null, kind: ProfileKind): string | null {
  if (!rel) return null;
  const svg = flamePathOf(rel, kind);
  return existsSync(join(resultDir, svg)) ? svg : null;
}
