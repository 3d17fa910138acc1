// vega-lite spec -> SVG text in Node: compile to vega, run a headless View with no renderer, and
// ask it for SVG. No browser and no network: data is inline and no loader is used.
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/**
 * Vega numbers its clip paths and gradients from a counter that restarts for every chart, so two
 * charts inlined in one page would share ids ("clip1") and clip each other. Prefixing every id
 * and reference with the chart's own id keeps them apart.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const p = prefix.replace(/[^A-Za-z0-9_-]/g, "_");
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${p}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${p}-${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${p}-${id}"`);
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vgSpec = compile(spec).spec;
  // A loader that refuses everything: a report must never fetch (the spec carries its data).
  const loader = vega.loader();
  loader.load = async (uri: string) => {
    throw new Error(`report charts load nothing from outside (asked for ${uri})`);
  };
  const view = new vega.View(vega.parse(vgSpec), { renderer: "none", loader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
