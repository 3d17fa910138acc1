// Opens a generated report.html in headless Chromium (Debian's package, driven by playwright-core)
// and checks that every chart drew marks, that the page asked for nothing over the network, that
// no element runs out of its container and no value wraps over two lines, that the page logged no
// error, and takes one screenshot. Skips, saying why, when Chromium is not installed.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { reportCommand } from "../src/report/index.js";
import { copyFixtures } from "./report-fixtures.js";

const CHROMIUM = process.env.EVBENCH_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const OUTPUT = process.env.EVBENCH_TEST_OUTPUT ?? path.join(os.tmpdir(), "evbench-test-output");

let resultsDir = "";
/** The fixture folder's index (report.html) and its scenario pages (report-<scenario>.html). */
let html = "";
let scenarioPages: string[] = [];

/** Elements whose box leaves their parent's (outside scroll containers), and value cells on more
 *  than one line. Runs in the page. */
function layoutProblems(): { overflow: string[]; wrapped: string[]; pageWidth: number } {
  const overflow: string[] = [];
  const label = (e: Element) =>
    `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}.${String((e as HTMLElement).className?.toString() ?? "")}`;
  for (const e of document.querySelectorAll("body *")) {
    const p = e.parentElement;
    if (p === null || ["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) continue;
    const a = e.getBoundingClientRect();
    const b = p.getBoundingClientRect();
    if (a.width === 0 && a.height === 0) continue;
    if (a.right > b.right + 1 || a.left < b.left - 1 || (p.tagName !== "BODY" && a.bottom > b.bottom + 1))
      overflow.push(`${label(e)} leaves ${label(p)}`);
  }
  for (const d of document.querySelectorAll("div.table"))
    if (d.scrollWidth > d.clientWidth + 1) overflow.push(`${label(d.firstElementChild!)} needs scrolling`);
  const wrapped: string[] = [];
  // values never wrap; a row's labels may break after a "/" or a space only, each part stays whole
  for (const e of document.querySelectorAll("td:not(.wrap):not(.name), td.name > span")) {
    const range = document.createRange();
    range.selectNodeContents(e);
    if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) wrapped.push(e.textContent ?? "");
  }
  return { overflow, wrapped, pageWidth: document.documentElement.scrollWidth };
}

/** Text in a chart whose box overlaps another text's box in the same chart (labels that run into
 *  each other), and the most bars any one chart drew. Runs in the page. */
function textProblems(): { overlaps: string[]; mostBars: number } {
  const overlaps: string[] = [];
  let mostBars = 0;
  for (const fig of document.querySelectorAll("figure.chart")) {
    mostBars = Math.max(mostBars, fig.querySelectorAll("g.mark-rect.role-mark.layer_0_marks > path").length);
    const boxes = [...fig.querySelectorAll("svg text")]
      .filter((t) => (t.textContent ?? "").trim() !== "")
      .map((t) => ({ text: t.textContent ?? "", r: t.getBoundingClientRect() }))
      .filter((b) => b.r.width > 0 && b.r.height > 0);
    // Glyph boxes include some leading: overlaps of a pixel or two are not collisions.
    const tol = 1.5;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!.r;
        const b = boxes[j]!.r;
        const apart = a.right - tol <= b.left || b.right - tol <= a.left || a.bottom - tol <= b.top || b.bottom - tol <= a.top;
        if (!apart) overlaps.push(`${fig.id}: "${boxes[i]!.text}" overlaps "${boxes[j]!.text}"`);
      }
    }
  }
  return { overlaps, mostBars };
}

interface ChartMarks {
  id: string;
  svg: number;
  width: number;
  bars: number;
  lines: number;
  symbols: number;
}

// For every chart of the page: its <svg>, and the visible shapes vega drew in its mark groups;
// bars are the first layer of a layered chart (the whisker ticks are rects too, in later layers)
// (<g class="mark-rect role-mark"> etc.), counted only when they have a non-empty box.
function chartMarks(page: import("playwright-core").Page): Promise<ChartMarks[]> {
  return page.$$eval("figure.chart", (figs) =>
    figs.map((f) => {
      const visible = (sel: string) =>
        [...f.querySelectorAll(sel)].filter((e) => {
          const b = (e as SVGGraphicsElement).getBBox();
          return b.width > 0 || b.height > 0;
        }).length;
      return {
        id: f.id,
        svg: f.querySelectorAll("svg").length,
        width: f.querySelector("svg")?.getBoundingClientRect().width ?? 0,
        bars: [...f.querySelectorAll("g.mark-rect.role-mark.layer_0_marks > path")].filter(
          (e) => (e as SVGGraphicsElement).getBBox().height > 0,
        ).length,
        lines: visible("g.mark-line.role-mark > path"),
        symbols: visible("g.mark-symbol.role-mark > path"),
      };
    }),
  );
}

let publishedDir = "";
let publishedReports: string[] = [];

beforeAll(async () => {
  resultsDir = copyFixtures();
  const fixturePages = (await reportCommand({ paths: [], resultsDir })).written;
  html = path.join(resultsDir, "fixture-2c-xeon", "report.html");
  scenarioPages = fixturePages.filter((f) => f.includes(`fixture-2c-xeon${path.sep}report-`));
  // The published results, reported into a copy (the repository's own reports stay untouched).
  publishedDir = mkdtempSync(path.join(os.tmpdir(), "evbench-published-"));
  cpSync(path.resolve(import.meta.dirname, "..", "results"), publishedDir, { recursive: true });
  publishedReports = (await reportCommand({ paths: [], resultsDir: publishedDir })).written.filter(
    (f) => f.endsWith(".html") && !f.endsWith("index.html"),
  );
}, 120_000);

afterAll(() => {
  for (const d of [resultsDir, publishedDir]) if (d) rmSync(d, { recursive: true, force: true });
});

describe("report.html in headless Chromium", () => {
  it("renders every chart with marks, offline, and screenshots", async (ctx) => {
    if (!existsSync(CHROMIUM)) {
      const why = `Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set EVBENCH_CHROMIUM)`;
      console.warn(`report-browser: skipped: ${why}`);
      ctx.skip(why);
      return;
    }
    const { chromium } = await import("playwright-core");
    const profile = mkdtempSync(path.join(os.tmpdir(), "evbench-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = await context.newPage();
      const requested: string[] = [];
      const errors: string[] = [];
      page.on("request", (r) => requested.push(r.url()));
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
      const charts: ChartMarks[] = [];
      for (const p of [html, ...scenarioPages]) {
        await page.goto(pathToFileURL(p).href, { waitUntil: "load" });
        // The layout holds at the width of a laptop screen: nothing overflows, no value wraps.
        const layout = await page.evaluate(layoutProblems);
        expect(layout.overflow, p).toEqual([]);
        expect(layout.wrapped, p).toEqual([]);
        expect(layout.pageWidth, p).toBeLessThanOrEqual(1280);
        charts.push(...(await chartMarks(page)));
      }
      expect(scenarioPages.length).toBe(2);

      const byId = new Map(charts.map((c) => [c.id, c]));
      for (const c of charts) {
        expect(c.svg, c.id).toBe(1);
        expect(c.width, c.id).toBeGreaterThan(100);
      }
      // t7-plain (fixtures: 4 targets, 3 results, claims for gnet/evio/nethttp on 3 metrics).
      for (const k of ["rps", "efficiency", "rss"]) expect(byId.get(`t7-plain-${k}`)?.bars, k).toBe(4);
      expect(byId.get("t7-plain-gc")?.bars).toBe(3); // native has no GC: its bar is 0 high
      expect(byId.get("t7-plain-latency")?.lines).toBe(4); // one merged curve per target
      expect(byId.get("t7-plain-claims")?.bars).toBe(12); // (gnet, evio) x 3 metrics x (claimed, measured)
      expect(byId.get("t7-plain-history")?.lines).toBe(4);
      expect(byId.get("t7-plain-history")?.symbols).toBe(12); // 4 targets x 3 results
      // One result of t7-pipelined: every chart but the history.
      expect(byId.has("t7-pipelined-rps")).toBe(true);
      expect(byId.has("t7-pipelined-history")).toBe(false);
      // Nothing but the file itself was loaded, and nothing was logged as an error.
      expect(requested.filter((u) => !u.startsWith("file:"))).toEqual([]);
      expect(errors).toEqual([]);

      mkdirSync(OUTPUT, { recursive: true });
      const png = path.join(OUTPUT, "report.png");
      await page.goto(pathToFileURL(scenarioPages.find((p) => p.endsWith("report-t7-plain.html"))!).href, { waitUntil: "load" });
      await page.screenshot({ path: png, fullPage: true });
      expect(statSync(png).size).toBeGreaterThan(50_000);

      // The index page, and the report of the published results (real rows: variants, loads that
      // differ per row, wrk and autocannon), hold too.
      for (const other of [path.join(resultsDir, "index.html"), ...publishedReports]) {
        await page.goto(pathToFileURL(other).href, { waitUntil: "load" });
        const layout2 = await page.evaluate(layoutProblems);
        expect(layout2.overflow, other).toEqual([]);
        expect(layout2.wrapped, other).toEqual([]);
      }
      // Every label legible at 1280 px: no two texts of a chart overlap, in the fixtures and in
      // the published results, whose charts hold ten bars (handbook-t1-runtime's ten variants).
      let mostBars = 0;
      for (const report of [...scenarioPages, ...publishedReports]) {
        await page.goto(pathToFileURL(report).href, { waitUntil: "load" });
        const text = await page.evaluate(textProblems);
        expect(text.overlaps, report).toEqual([]);
        mostBars = Math.max(mostBars, text.mostBars);
      }
      expect(mostBars).toBeGreaterThanOrEqual(10);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 120_000);
});
