// The Lua script given to wrk: it sends the scenario's request (pipelined `depth` times per
// write, the classic pipeline.lua technique) and, when done, prints one JSON line with the
// counts and wrk's per-microsecond latency histogram: its non-empty buckets exactly while it is
// small enough to read (latency(k) in wrk's Lua API), else evenly spaced quantiles.
import type { LoadSpec } from "./types.js";

/** Lua string literal for arbitrary text. */
function luaString(s: string): string {
  return `"${[...Buffer.from(s, "utf8")].map((b) => `\\${b}`).join("")}"`;
}

export const WRK_RESULT_MARK = "EVBENCH_WRK_RESULT ";
/** wrk's histogram is read bucket by bucket (exact) up to this many non-empty microseconds... */
export const WRK_MAX_EXACT_BUCKETS = 20_000;
/** ...and while the reads scan at most this many counters in all (latency(k) scans from min). */
export const WRK_MAX_SCAN = 300_000_000;
/** Beyond, this many evenly spaced quantiles, each an equal share of the requests. */
export const WRK_MAX_POINTS = 2000;

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
  -- latency(k) is the k-th non-empty microsecond of wrk's histogram and its count (a scan from
  -- the minimum each time, so only while the histogram is small enough); above that,
  -- latency:percentile at ${WRK_MAX_POINTS} evenly spaced ranks. Either way the histogram read is
  -- the one wrk prints itself (with the samples its stats_correct adds before done() runs).
  local d = #latency
  local lo, hi = latency.min, latency.max
  local b, q = {}, {}
  if d > 0 and d <= ${WRK_MAX_EXACT_BUCKETS} and d * (hi - lo + 1) <= ${WRK_MAX_SCAN} then
    for k = 1, d do
      local v, c = latency(k)
      b[k] = string.format("[%d,%d]", v, c)
    end
  elseif d > 0 then
    for k = 1, ${WRK_MAX_POINTS} do
      q[k] = latency:percentile(100 * (k - 0.5) / ${WRK_MAX_POINTS})
    end
  end
  local e = summary.errors
  io.write(string.format('${WRK_RESULT_MARK}{"requests":%d,"durationUs":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"buckets":[%s],"quantiles":[%s]}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(b, ","), table.concat(q, ",")))
end
`;
}
