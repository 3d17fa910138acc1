// The presentation layer: one unit system (binary memory, SI counts, µs/ms/s), ratios with three
// decimals, and intervals named by what they are: [95% CI] from 6 repetitions (where the
// order-statistic interval of src/stats/median.ts reaches 95 %), [min..max] below, none for one.
import { describe, expect, it } from "vitest";

import { formatBytes, formatCount, formatMicros, formatRatio, formatValue } from "../src/present/format.js";
import { CI_MIN_SAMPLES, formatInterval, intervalKind } from "../src/present/interval.js";
import { renderHtml, renderMarkdown } from "../src/present/doc.js";
import { readResultFile } from "../src/results/reader.js";
import { medianInterval, summarize } from "../src/stats/index.js";
import { benchTable } from "../src/ui/bench-table.js";
import { ratiosSection } from "../src/ui/ratios-section.js";
import { FIXTURES } from "./report-fixtures.js";

describe("units", () => {
  it("memory in binary units, counts in SI, latency in µs/ms/s", () => {
    expect(formatBytes(61.2e6)).toBe("58.4 MiB");
    expect(formatBytes(1536)).toBe("1.50 KiB");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatCount(16_600)).toBe("16.6k");
    expect(formatCount(1_234_567)).toBe("1.23M");
    expect(formatMicros(845)).toBe("845 µs");
    expect(formatMicros(1020)).toBe("1.02 ms");
    expect(formatMicros(2_500_000)).toBe("2.50 s");
    expect(formatValue(55.4, "%")).toBe("55%");
  });

  it("a ratio just under its goal never prints as the goal", () => {
    expect(formatRatio(0.949)).toBe("0.949x");
    expect(formatRatio(0.95)).toBe("0.950x");
    expect(formatRatio(12.34)).toBe("12.3x");
  });
});

describe("intervals", () => {
  it("are a 95 % CI exactly where the order-statistic interval reaches 95 %", () => {
    expect(CI_MIN_SAMPLES).toBe(6);
    expect(medianInterval([1, 2, 3, 4, 5])!.reached).toBe(false);
    expect(medianInterval([1, 2, 3, 4, 5, 6])!.reached).toBe(true);
    expect(intervalKind(1)).toBeNull();
    expect(intervalKind(5)).toBe("min..max");
    expect(intervalKind(6)).toBe("95% CI");
  });

  it("print with their name, and not at all for one repetition", () => {
    const f = (v: number) => formatValue(v, "req/s");
    expect(formatInterval(summarize([100e3]), f)).toBe("100k");
    expect(formatInterval(summarize([100e3, 110e3, 120e3]), f)).toBe("110k (100k..120k) [min..max]");
    expect(formatInterval(summarize([1, 2, 3, 4, 5, 6].map((x) => x * 1e4)), f)).toBe("35.0k (10.0k..60.0k) [95% CI]");
  });

  it("the bench table of 5 repetitions says min..max and never 95% CI", async () => {
    const { result } = await readResultFile(`${FIXTURES}/fixture-2c-xeon/20250101T100000Z-t7-plain.json`);
    const text = benchTable(result, { wide: true });
    expect(text).toMatch(/^gnet +[\d.]+k \([\d.]+k\.\.[\d.]+k\) \[min\.\.max\]/m);
    // The compact table names the kind once, in the header.
    expect(benchTable(result)).toMatch(/^target +req\/s \[min\.\.max\][\s\S]*^gnet +[\d.]+k [\d.]+k\.\.[\d.]+k /m);
    expect(benchTable(result)).not.toMatch(/95% CI/);
    expect(text).not.toMatch(/\d \[95% CI\]/);
    expect(text).toMatch(/^\[\d\] clientBound: /m);
    expect(ratiosSection(result)).toMatch(
      /native \/ gnet +req\/server-CPU-s +>= 1\.200x +\d\.\d{3}x \(\d\.\d{3}x\.\.\d\.\d{3}x\) \[min\.\.max\] +(pass|FAIL)/,
    );
  });
});

describe("renderers escape text", () => {
  it("HTML and Markdown show markup as text", () => {
    const blocks = [{ kind: "para" as const, spans: ["<b>x</b> & *y*"] }];
    expect(renderHtml(blocks)).toBe("<p>&lt;b&gt;x&lt;/b&gt; &amp; *y*</p>");
    expect(renderMarkdown(blocks)).toBe("&lt;b>x&lt;/b> &amp; \\*y\\*");
  });
});
