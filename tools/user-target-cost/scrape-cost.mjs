// CPU time the example spends answering a GET of /metrics, /debug/vars and /api/items, from
// /proc (2000 of each; utime+stime tick at 10 ms, so 1 % resolution). Usage: node scrape-cost.mjs <json-api binary>
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
const port = 18000 + (process.pid % 1000);
const child = spawn("taskset", ["-c", "1", process.argv[2], "--addr", `127.0.0.1:${port}`], { stdio: ["ignore", "ignore", "pipe"] });
await new Promise((r) => child.stderr.once("data", r));
const cpu = () => { const f = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" "); return (Number(f[11]) + Number(f[12])) / 100; };
const get = (p) => new Promise((res, rej) => http.get({ host: "127.0.0.1", port, path: p, agent: false }, (r) => { r.resume(); r.on("end", res); }).on("error", rej));
for (const path of ["/metrics", "/debug/vars", "/api/items"]) {
  for (let i = 0; i < 50; i++) await get(path);
  const n = 2000; const a = cpu(); const t = performance.now();
  for (let i = 0; i < n; i++) await get(path);
  console.log(path, `${(((cpu() - a) / n) * 1000).toFixed(3)} ms CPU per GET (server), ${((performance.now() - t) / n).toFixed(2)} ms wall`);
}
child.kill("SIGKILL");
