#!/usr/bin/env node
// Lists TypeScript functions longer than a limit (default 80 lines), with their place: the house
// keeps functions short (docs/architecture.md). Exits 1 when any is found.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

const limit = Number(process.argv[3] ?? 80);
const root = process.argv[2] ?? "src";
const files = (d) =>
  readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : n.endsWith(".ts") ? [join(d, n)] : []));
const long = [];
for (const file of files(root)) {
  const src = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const a = src.getLineAndCharacterOfPosition(node.getStart()).line;
      const b = src.getLineAndCharacterOfPosition(node.end).line;
      if (b - a + 1 > limit) long.push(`${relative(process.cwd(), file)}:${a + 1}: ${b - a + 1} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
}
for (const l of long) console.error(l);
if (long.length > 0) process.exit(1);
console.log(`no function over ${limit} lines under ${root}`);
