// report: for each hardware folder under results/, report.md, report.html (its index) and a
// self-contained report-<scenario>.html per scenario; then results/index.html over every folder. src/cli.ts calls reportCommand.
import { writeFile, rename } from "node:fs/promises";
import path from "node:path";

import { BadInputError } from "../errors.js";
import { isDirectory, listHardwareDirs, listResultFiles, readResultFile, type LoadedResult } from "../results/reader.js";
import { scenarioCharts } from "./charts.js";
import { scenarioPage } from "./document.js";
import { htmlReport, scenarioHtml } from "./html.js";
import { indexPage } from "./index-page.js";
import { markdownReport } from "./markdown.js";
import { buildHardwareReport } from "./model.js";
import type { RenderedChart, RenderedHardwareReport } from "./rendered.js";
import { renderSvg, scopeSvgIds } from "./render-svg.js";

export { buildClaimsReport } from "../present/claims.js";
export type { ClaimsReport, ClaimComparisonRow } from "../present/claims.js";

/** Write via a temporary file and rename, so a reader never sees half a report. */
async function writeAtomic(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
}

async function readDir(dir: string): Promise<LoadedResult[]> {
  const out: LoadedResult[] = [];
  for (const f of await listResultFiles(dir)) out.push(await readResultFile(f));
  return out;
}

/** The hardware folders the paths name: a folder itself, or the folder of a result file. */
async function foldersOf(paths: string[], resultsDir: string): Promise<string[]> {
  if (paths.length === 0) {
    const dirs = await listHardwareDirs(resultsDir);
    if (dirs.length === 0) throw new BadInputError(`report: no result files under ${resultsDir}/<hardware-id>/`);
    return dirs;
  }
  const dirs = new Set<string>();
  for (const p of paths) {
    if (await isDirectory(p)) {
      if ((await listResultFiles(p)).length === 0) throw new BadInputError(`report: ${p} holds no result files (*.json)`);
      dirs.add(path.resolve(p));
    } else if (p.endsWith(".json")) {
      await readResultFile(p); // a bad file is reported by name before anything is written
      dirs.add(path.resolve(path.dirname(p)));
    } else {
      throw new BadInputError(`report: ${p} is neither a results folder nor a result file`);
    }
  }
  return [...dirs];
}

export async function renderHardwareReport(dir: string, results: LoadedResult[]): Promise<RenderedHardwareReport> {
  const model = buildHardwareReport(dir, results);
  const charts = new Map<string, RenderedChart[]>();
  for (const s of model.scenarios) {
    const rendered: RenderedChart[] = [];
    // One at a time: vega views are cheap but the machine is shared.
    for (const c of scenarioCharts(s)) rendered.push({ ...c, svg: scopeSvgIds(await renderSvg(c.spec), c.id) });
    charts.set(s.name, rendered);
  }
  return { model, charts, href: (p) => path.relative(dir, p).split(path.sep).join("/") };
}

export async function reportCommand(opts: { paths: string[]; resultsDir: string }): Promise<{ written: string[] }> {
  const written: string[] = [];
  const folders = await foldersOf(opts.paths, opts.resultsDir);
  for (const dir of folders) {
    const rendered = await renderHardwareReport(dir, await readDir(dir));
    for (const [name, exporter] of [
      ["report.md", markdownReport],
      ["report.html", htmlReport],
    ] as const) {
      const file = path.join(dir, name);
      await writeAtomic(file, exporter.serialize(rendered));
      written.push(file);
    }
    for (const s of rendered.model.scenarios) {
      const file = path.join(dir, scenarioPage(s.name));
      await writeAtomic(file, scenarioHtml(rendered, s));
      written.push(file);
    }
  }
  // The index covers every hardware folder under the results directory, not just those rebuilt; it
  // is rewritten only when what was reported lies in that directory (a folder elsewhere is not in it).
  const resultsDir = path.resolve(opts.resultsDir);
  const inResults = folders.every((d) => path.dirname(path.resolve(d)) === resultsDir);
  if (inResults && (await isDirectory(resultsDir))) {
    const hardware = [];
    for (const dir of await listHardwareDirs(resultsDir)) hardware.push({ dir, results: await readDir(dir) });
    const file = path.join(resultsDir, "index.html");
    await writeAtomic(file, indexPage.serialize({ resultsDir, hardware }));
    written.push(file);
  }
  return { written };
}
