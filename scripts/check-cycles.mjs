#!/usr/bin/env node
// Fails when the TypeScript sources import each other in a cycle (type-only imports included:
// a cycle of types is still a layering error), between files or between folders (a folder is a
// module; the root's few files, cli.ts on top and errors.ts / paths.ts at the bottom, are left
// out of the folder graph). Prints every strongly connected component.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(process.argv[2] ?? "src");

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/g;

function importsOf(file) {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)].map((m) => resolve(dirname(file), m[1].replace(/\.js$/, ".ts")));
}

/** Tarjan's strongly connected components; returns those with more than one file or a self-edge. */
function cycles(graph) {
  let index = 0;
  const order = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    order.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), order.get(next)));
    }
    if (low.get(node) !== order.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component);
  };
  for (const node of graph.keys()) if (!order.has(node)) visit(node);
  return found;
}

const graph = new Map(sourceFiles(root).map((file) => [file, importsOf(file)]));
const found = cycles(graph);
for (const component of found) {
  console.error(
    `import cycle (${component.length} files): ${component
      .map((f) => relative(process.cwd(), f))
      .sort()
      .join(", ")}`,
  );
}

const folderOf = (file) => relative(root, dirname(file)) || ".";
const folders = new Map();
for (const [file, imports] of graph) {
  const from = folderOf(file);
  if (from === ".") continue;
  const to = imports
    .filter((t) => graph.has(t))
    .map(folderOf)
    .filter((f) => f !== "." && f !== from);
  folders.set(from, [...new Set([...(folders.get(from) ?? []), ...to])]);
}
const folderCycles = cycles(folders);
for (const component of folderCycles) console.error(`folder cycle: ${component.sort().join(" <-> ")}`);
if (found.length > 0 || folderCycles.length > 0) process.exit(1);
console.log(`no import cycle among ${graph.size} files and ${folders.size} folders under ${relative(process.cwd(), root) || "."}`);
