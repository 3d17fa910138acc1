import { it } from "vitest";
import * as vega from "vega";
import { compile } from "vega-lite";
import { readResultFile } from "../../src/results/reader.js";
import { buildHardwareReport } from "../../src/report/model.js";
import { scenarioCharts } from "../../src/report/charts.js";
it("c", async () => {
  const r = await readResultFile("test/fixtures/results/fixture-2c-xeon/20250103T100000Z-t7-plain.json");
  const m = buildHardwareReport("x", [r]);
  const c = scenarioCharts(m.scenarios[0]!).find((x) => x.id.endsWith("claims"))!;
  console.log(JSON.stringify((c.spec as any).data.values.slice(0, 3)));
  const vg = compile(c.spec).spec;
  const view = new vega.View(vega.parse(vg), { renderer: "none" });
  await view.runAsync();
  console.log(JSON.stringify(view.scale("y").domain()), JSON.stringify(view.scale("x").domain()));
  console.log(Object.keys((vg as any).data ?? {}), JSON.stringify((vg as any).data.map((d: any) => d.name)));
});
