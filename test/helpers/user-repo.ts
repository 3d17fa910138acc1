// A throwaway git repository holding the example service at two revisions: v1 as shipped, v2
// with a deliberate allocation regression (64 KiB thrown away per request).
import { execFileSync } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { EXAMPLE_DIR } from "./user-example.js";

const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-C", cwd, ...args], { stdio: "pipe", encoding: "utf8" }).trim();

export function exampleRepo(dir: string): { v1: string; v2: string } {
  for (const f of ["main.go", "alloc.go", "go.mod", "go.sum"]) copyFileSync(join(EXAMPLE_DIR, f), join(dir, f));
  git(dir, "init", "-q", "-b", "main");
  git(dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", "-A");
  git(dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "v1");
  git(dir, "tag", "v1");
  const alloc = join(dir, "alloc.go");
  writeFileSync(alloc, readFileSync(alloc, "utf8").replace("const extraAllocs = 0", "const extraAllocs = 64"));
  git(dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qam", "v2: a buffer per item, and more");
  git(dir, "tag", "v2");
  return { v1: git(dir, "rev-parse", "v1"), v2: git(dir, "rev-parse", "v2") };
}
