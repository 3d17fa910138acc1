// The Lua script given to wrk: it sends the scenario's request (pipelined `depth` times per
// write, the classic pipeline.lua technique) and, when done, prints one JSON line with the
// counts and wrk's whole latency histogram: wrk keeps one counter per microsecond (its `stats`
// array, which `latency[v + 1]` reads in Lua), so the non-empty ones are the exact distribution.
import type { LoadSpec } from "./types.js";

/** Lua string literal for arbitrary text. */
function luaString(s: string): string {
  return `"${[...Buffer.from(s, "utf8")].map((b) => `\\${b}`).join("")}"`;
}

export const WRK_RESULT_MARK = "EVBENCH_WRK_RESULT ";

export function wrkLua(spec: LoadSpec): string {
  const headers: Record<string, string> = { ...spec.headers };
  if (!spec.keepAlive) headers["Connection"] = "close";
  const body = spec.bodyBytes > 0 ? "a".repeat(spec.bodyBytes) : null;
  const headerLines = Object.entries(headers)
    .map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`)
    .join("\n");
  return `
wrk.method = ${luaString(spec.method)}
${body !== null ? `wrk.body = ${luaString(body)}` : ""}
${headerLines}
local depth = ${spec.pipeline}
local req
init = function(args)
  local r = {}
  for i = 1, depth do r[i] = wrk.format(nil, ${luaString(spec.path)}) end
  req = table.concat(r)
end
request = function() return req end
done = function(summary, latency, requests)
  local b = {}
  local lo, hi = latency.min, latency.max
  if hi >= lo then
    for v = lo, hi do
      local c = latency[v + 1]
      if c > 0 then b[#b + 1] = string.format("[%d,%d]", v, c) end
    end
  end
  local e = summary.errors
  io.write(string.format('${WRK_RESULT_MARK}{"requests":%d,"durationUs":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"buckets":[%s]}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(b, ",")))
end
`;
}
