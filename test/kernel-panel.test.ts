// The kernel's view in every output (issue 26): the summary table's run-queue columns, the
// terminal's and the report's "Kernel (eBPF)" panel, built from a fixture result whose runs carry
// eBPF blocks with chosen values, so each cell's expected median is known.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { kernelBlocks, kernelRunsTable, kernelTable, kernelText } from "../src/kernel/panel.js";
import type { KernelCounts, ResultFile, RunOk } from "../src/model/index.js";
import { Footnotes } from "../src/present/footnotes.js";
import { formatValue } from "../src/present/format.js";
import { summaryTable } from "../src/present/summary-table.js";
import { renderHtml } from "../src/present/doc.js";
import { reportCommand } from "../src/report/index.js";
import { summarizeRuns } from "../src/run/summary.js";
import { median } from "../src/stats/index.js";
import { FIXTURES } from "./report-fixtures.js";

const FIXTURE = "20250101T100000Z-t7-plain.json";
// Per repetition 0-4: native's run-queue p50 and p99 (µs), nethttp's are ten times these.
const P50 = [12, 30, 18, 15, 21];
const P99 = [140, 400, 210, 160, 250];
const UNAVAILABLE = "eBPF: kernel.unprivileged_bpf_disabled=2 and not root (fixture)";

function latency(p50Us: number, p99Us: number) {
  return { samples: 1000, p50Us, p99Us, maxUs: p99Us * 3 };
}

function kernelOf(rep: number, scale: number): KernelCounts {
  return {
    status: "measured",
    runQueue: { ...latency(P50[rep]! * scale, P99[rep]! * scale), preempted: 10 + rep, voluntary: 5000, hdr: "" },
    tcp: { retransmits: rep, synRetransmits: 0, synackRetransmits: 0, lossProbes: rep === 2 ? null : 1, perConnection: [] },
    drops: { total: 3 + rep, syn: 0, reasons: { TCP_INVALID_SEQUENCE: 1, NO_SOCKET: 2 + rep } },
    connections: { active: 16, passive: 16, failed: 0, closed: 0, connect: latency(40, 90), lifetime: latency(5e6, 5e6) },
    untracked: 0,
  };
}

/** The fixture, edited, with its summary rows computed from its runs (the file predates some metrics). */
function fixture(edit: (runs: RunOk[]) => void = () => {}): ResultFile {
  const r = JSON.parse(readFileSync(path.join(FIXTURES, "fixture-2c-xeon", FIXTURE), "utf8")) as ResultFile;
  edit(r.runs as RunOk[]);
  r.summary = summarizeRuns(r.runs);
  return r;
}

const plainFixture = () => fixture();

/** The fixture with kernel blocks on native's and nethttp's runs, evio's unavailable, gnet's none. */
const withKernel = () =>
  fixture((runs) => {
    for (const x of runs) {
      if (x.target === "native") x.kernel = kernelOf(x.rep, 1);
      if (x.target === "nethttp") x.kernel = kernelOf(x.rep, 10);
      if (x.target === "evio") x.kernel = { status: "unavailable", reason: UNAVAILABLE };
    }
  });

const us = (v: number) => formatValue(v, "us");

describe("the summary table's run-queue columns", () => {
  const t = summaryTable(withKernel(), new Footnotes());
  const col = (name: string) => t.header.indexOf(name);
  const row = (name: string) => t.rows.find((cells) => cells[0] === name)!;

  it("has runq p50 and runq p99 with each row's median over its runs", () => {
    expect(col("runq p50")).toBeGreaterThan(0);
    expect(row("native")[col("runq p50")]).toBe(us(median(P50)!));
    expect(row("native")[col("runq p99")]).toBe(us(median(P99)!));
    expect(row("nethttp")[col("runq p99")]).toBe(us(median(P99)! * 10));
  });

  it("prints - for rows the probes did not measure (none attached, or unavailable)", () => {
    expect(row("gnet")[col("runq p50")]).toBe("-");
    expect(row("evio")[col("runq p50")]).toBe("-");
  });

  it("leaves the columns out when no run was measured", () => {
    expect(summaryTable(plainFixture(), new Footnotes()).header).not.toContain("runq p50");
  });
});

describe("the kernel panel", () => {
  const r = withKernel();

  it("has one line per measured row, with the medians of its runs", () => {
    const t = kernelTable(r)!;
    expect(t.rows.map((x) => x[0])).toEqual(["native", "nethttp"]);
    const native = t.rows[0]!;
    expect(native[t.header.indexOf("runq p50")]).toBe(us(median(P50)!));
    expect(native[t.header.indexOf("runq p99")]).toBe(us(median(P99)!));
    expect(native[t.header.indexOf("preempted")]).toBe("12");
    expect(native[t.header.indexOf("retransmits")]).toBe("2");
    expect(native[t.header.indexOf("runs")]).toBe("5");
  });

  it("sums drop reasons over the runs and says - for loss probes when a run could not count them", () => {
    const t = kernelTable(r)!;
    const native = t.rows[0]!;
    // NO_SOCKET: 2+3+4+5+6 over the five runs, TCP_INVALID_SEQUENCE once per run.
    expect(native[t.header.indexOf("top drop reasons (all runs)")]).toBe("NO_SOCKET 20, TCP_INVALID_SEQUENCE 5");
    expect(native[t.header.indexOf("loss probes")]).toBe("-");
  });

  it("the report's per-run table has each run's own values, by repetition", () => {
    const t = kernelRunsTable(r)!;
    const native = t.rows.filter((x) => x[0] === "native");
    expect(native.map((x) => x[t.header.indexOf("rep")])).toEqual(["1", "2", "3", "4", "5"]);
    expect(native.map((x) => x[t.header.indexOf("runq p99")])).toEqual(P99.map(us));
  });

  it("names why the probes were unavailable, in the terminal and the report", () => {
    expect(kernelText(r)).toContain(UNAVAILABLE);
    const html = renderHtml(kernelBlocks(r, true));
    expect(html).toContain("Kernel (eBPF)");
    expect(html).toContain(UNAVAILABLE);
    expect(html).toContain("Each run:");
  });

  it("is absent from a result without kernel blocks", () => {
    const plain = plainFixture();
    expect(kernelBlocks(plain, true)).toEqual([]);
    expect(kernelText(plain)).toBeNull();
  });
});

describe("the report's scenario page", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "evbench-kernel-panel-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("shows the kernel panel and the run-queue columns of a result written with them", async () => {
    const folder = path.join(dir, "fixture-2c-xeon");
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, FIXTURE), JSON.stringify(withKernel()));
    await reportCommand({ paths: [], resultsDir: dir });
    const html = readFileSync(path.join(folder, "report-t7-plain.html"), "utf8");
    expect(html).toContain("Kernel (eBPF)");
    expect(html).toContain("runq p99");
    expect(html).toContain(us(median(P99)!));
  }, 60_000);
});
