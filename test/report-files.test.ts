// report over a results directory of fixtures (synthetic test data): which files it writes,
// that the HTML is self-contained, what report.md and index.html say.
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BadInputError } from "../src/errors.js";
import { reportCommand } from "../src/report/index.js";
import { copyFixtures } from "./report-fixtures.js";

let dir = "";
let written: string[] = [];
beforeAll(async () => {
  dir = copyFixtures();
  written = (await reportCommand({ paths: [], resultsDir: dir })).written;
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (...p: string[]) => readFileSync(path.join(dir, ...p), "utf8");

describe("report", () => {
  it("writes report.md, report.html and a page per scenario per hardware folder, and the index", () => {
    expect(written.map((w) => path.relative(dir, w)).sort()).toEqual(
      [
        "fixture-2c-xeon/report-t7-pipelined.html",
        "fixture-2c-xeon/report-t7-plain.html",
        "fixture-2c-xeon/report.html",
        "fixture-2c-xeon/report.md",
        "fixture-4c-epyc/report-t7-plain.html",
        "fixture-4c-epyc/report.html",
        "fixture-4c-epyc/report.md",
        "index.html",
      ].map((p) => p.split("/").join(path.sep)),
    );
  });

  it("report.html is the folder's index: one link per scenario page, no charts", () => {
    const html = read("fixture-2c-xeon", "report.html");
    expect(html).toContain('<a href="report-t7-plain.html">t7-plain</a>');
    expect(html).toContain('<a href="report-t7-pipelined.html">t7-pipelined</a>');
    expect(html).not.toContain("<svg ");
  });

  it("a scenario's page needs no network: inline SVG and CSS, no scripts, no external references", () => {
    const html = read("fixture-2c-xeon", "report-t7-plain.html");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/\bsrc=/i);
    // http(s) URLs may only be XML namespaces inside the inline SVG.
    const urls = html.match(/https?:\/\/[^"' )]+/g) ?? [];
    expect(urls.filter((u) => !u.startsWith("http://www.w3.org/"))).toEqual([]);
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(7); // rps, efficiency, latency, rss, gc, claims, history
    expect(html).toContain("<style>");
    expect(html).toContain('<tr class="cb"><td class="name">gnet</td>'); // client-bound rows are marked
    expect(html).toContain('<a href="report.html">All scenarios on this hardware</a>');
    expect(html).not.toContain('id="t7-pipelined-rps"'); // the other scenario has its own page
    // SVG ids are unique across the inlined charts.
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("report.md has the tables: summary with client-bound flags, claims with divergences, history, environment, command", () => {
    const md = read("fixture-2c-xeon", "report.md");
    expect(md).toContain(
      "| target | req/s median (interval) | vs nethttp | p50 | p99 | p99.9 | RSS peak | RSS mean | GC/s | alloc/req | srv CPU | req/srv-CPU-s | cli CPU | req/cli-CPU-s | verdict | runs |",
    );
    // Five repetitions: the interval is the range, and says so; the client-bound row says why in a footnote.
    expect(md).toMatch(/\| gnet \| [\d.]+k \([\d.]+k\.\.[\d.]+k\) \\\[min\.\.max\\\] \|.*\| clientBound \\\[\d+\\\] \| 5 ok \|/);
    expect(md).toMatch(/^- \\\[\d+\\\] clientBound: \d of 5 runs(, the first)?: client CPU \d+% saturated/m);
    expect(md).toMatch(/- gnet\/nethttp req\/s: claimed 5\.905x, measured/);
    expect(md).toContain("### History");
    expect(md).toContain("| git commit | 3333333333333333333333333333333333333333 (dirty: uncommitted changes) |");
    expect(md).toContain("| sysctl net.core.somaxconn | 4096 |");
    expect(md).toContain("evbench bench t7-plain --reps 5");
    expect(md).toContain("| evio | 0 | FIXTURE: target exited with code 2 before READY |");
    expect(md).toMatch(
      /\| native \/ gnet \| req\/server-CPU-s \| >= 1\.200x \| \d\.\d{3}x \(\d\.\d{3}x\.\.\d\.\d{3}x\) \\\[min\.\.max\\\] \| (pass|FAIL) \| \d+ of \d+ \| native >= 1\.2x gnet/,
    );
  });

  it("index.html lists each hardware id with CPU, cores, kernel, scenarios and runs", () => {
    const index = read("index.html");
    expect(index).toContain("fixture-2c-xeon");
    expect(index).toContain("Fixture EPYC (synthetic test data) · 4 cores · kernel 6.8.0-fixture");
    expect(index).toContain('href="fixture-2c-xeon/report.html"');
    expect(index).toContain('href="fixture-2c-xeon/report-t7-plain.html"');
    expect(index).toContain('href="fixture-2c-xeon/20250101T100000Z-t7-plain.json"');
  });

  it("a folder given by path is reported alone; junk paths are bad input", async () => {
    const r = await reportCommand({ paths: [path.join(dir, "fixture-4c-epyc")], resultsDir: dir });
    expect(r.written.filter((w) => w.includes("fixture-2c-xeon"))).toEqual([]);
    await expect(reportCommand({ paths: [path.join(dir, "nope.txt")], resultsDir: dir })).rejects.toBeInstanceOf(BadInputError);
  });

  it("rewrites the results folder's index.html only for folders inside it", async () => {
    const elsewhere = copyFixtures();
    try {
      const r = await reportCommand({ paths: [path.join(elsewhere, "fixture-4c-epyc")], resultsDir: dir });
      expect(r.written.map((w) => path.basename(w)).sort()).toEqual(["report-t7-plain.html", "report.html", "report.md"]);
      const inside = await reportCommand({ paths: [path.join(dir, "fixture-4c-epyc")], resultsDir: dir });
      expect(inside.written).toContain(path.join(dir, "index.html"));
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
