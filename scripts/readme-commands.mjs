#!/usr/bin/env node
// Rewrites the README's command block from the command table (dist/ must be built: npm run build).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { withCommandBlock } = await import(join(root, "dist", "commands", "readme-block.js"));
const file = join(root, "README.md");
writeFileSync(file, withCommandBlock(readFileSync(file, "utf8")));
console.log("README.md: command block rewritten from the command table");
