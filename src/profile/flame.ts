// A flame graph drawn from folded stacks as a standalone SVG: callers below their callees
// (root at the bottom), each frame as wide as its share of the total, a tooltip per frame with
// its share. No external renderer: the layout is a plain recursive partition.
import type { Folded } from "./folded.js";

interface FrameNode {
  name: string;
  value: number;
  children: Map<string, FrameNode>;
}

const WIDTH = 1200;
const ROW = 16;
const PAD = 10;
const HEADER = 24;
const CHAR_PX = 6.6;
/** Frames narrower than this are not drawn (their weight is still in their callers' width). */
const MIN_PX = 0.3;

function treeOf(f: Folded): FrameNode {
  const root: FrameNode = { name: "all", value: 0, children: new Map() };
  for (const s of f.stacks) {
    root.value += s.weight;
    let node = root;
    for (const name of s.frames) {
      let child = node.children.get(name);
      if (!child) node.children.set(name, (child = { name, value: 0, children: new Map() }));
      child.value += s.weight;
      node = child;
    }
  }
  return root;
}

function depthOf(n: FrameNode): number {
  let d = 0;
  for (const c of n.children.values()) d = Math.max(d, depthOf(c));
  return d + 1;
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A warm colour fixed by the name, so one function keeps its colour across graphs. */
function colour(name: string): string {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  const u = (h >>> 0) / 2 ** 32;
  return `hsl(${Math.round(10 + 40 * u)}, ${Math.round(75 + 20 * u)}%, ${Math.round(55 + (10 * ((h >>> 8) & 0xff)) / 255)}%)`;
}

function label(name: string, px: number): string {
  const fits = Math.floor((px - 6) / CHAR_PX);
  if (fits < 3) return "";
  return name.length <= fits ? name : `${name.slice(0, fits - 2)}..`;
}

function drawNode(n: FrameNode, x: number, level: number, scale: number, total: number, bottom: number, out: string[]): void {
  const w = n.value * scale;
  if (w < MIN_PX) return;
  const y = bottom - (level + 1) * ROW;
  const share = total > 0 ? (100 * n.value) / total : 0;
  const text = label(n.name, w);
  out.push(
    `<g><title>${xmlEscape(n.name)} (${share.toFixed(2)} %)</title><rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${ROW - 1}" fill="${colour(n.name)}" rx="2"/>` +
      (text ? `<text x="${(x + 3).toFixed(2)}" y="${y + ROW - 4}">${xmlEscape(text)}</text>` : "") +
      `</g>`,
  );
  let cx = x;
  for (const c of [...n.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    drawNode(c, cx, level + 1, scale, total, bottom, out);
    cx += c.value * scale;
  }
}

/** The flame graph of a profile as SVG markup; title is shown above it (escaped here). */
export function flameSvg(f: Folded, title: string): string {
  const root = treeOf(f);
  const depth = depthOf(root);
  const height = HEADER + depth * ROW + PAD;
  const scale = root.value > 0 ? (WIDTH - 2 * PAD) / root.value : 0;
  const out: string[] = [];
  drawNode(root, PAD, 0, scale, root.value, height - PAD, out);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="monospace" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fdfdf8"/>`,
    `<text x="${PAD}" y="16" font-size="13">${xmlEscape(title)}</text>`,
    ...out,
    `</svg>`,
    "",
  ].join("\n");
}
