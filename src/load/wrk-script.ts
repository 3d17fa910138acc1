// The Lua script given to wrk: it sends the scenario's request (pipelined `depth` times per
// write, the classic pipeline.lua technique) and, when done, prints one JSON line with the
// counts and the latency samples read back from wrk's per-microsecond histogram through
// latency:percentile (wrk's Lua API gives no direct access to its counters): every sample when
// there are at most WRK_MAX_POINTS, evenly spaced quantiles above.
import type { LoadSpec } from "./types.js";

/** Lua string literal for arbitrary text. */
function luaString(s: string): string {
  return `"${[...Buffer.from(s, "utf8")].map((b) => `\\${b}`).join("")}"`;
}

export const WRK_RESULT_MARK = "EVBENCH_WRK_RESULT ";
/** Up to this many latency samples are read back one by one (exact); above, this many quantiles. */
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
  -- wrk records one latency per completed write (a pipelined batch: depth answers). The k-th
  -- smallest of n samples is latency:percentile(100 * (k - 0.5) / n) (wrk's rank is
  -- round(p / 100 * n + 0.5)), so with n samples or fewer every sample is read back exactly;
  -- above that, ${WRK_MAX_POINTS} evenly spaced quantiles.
  local n = math.floor(summary.requests / depth + 0.5)
  local m = math.min(n, ${WRK_MAX_POINTS})
  local q = {}
  for k = 1, m do
    q[k] = latency:percentile(100 * (k - 0.5) / m)
  end
  local e = summary.errors
  io.write(string.format('${WRK_RESULT_MARK}{"requests":%d,"durationUs":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"samples":%d,"quantiles":[%s]}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    n, table.concat(q, ",")))
end
`;
}
