// Before the load, a user's server is checked against what the scenario states (status, length,
// a body pattern) and, for what it does not state, against its own first answer: the first
// answer is the reference (a 2xx), and two more must agree with it, so a server whose answers
// change between requests (an error page after the first, a random length) is caught here.
import { buildRequest, exchange, randomBody, type RawResponse } from "./http-probe.js";
import type { CheckSpec } from "./user-spec.js";
import { VERIFY_TIMEOUT_MS, type VerifyRequest } from "./verify.js";

const AGREEING = 2;

function problemsOf(r: RawResponse, want: { status: number; length: number | null; pattern: RegExp | null }): string[] {
  const out: string[] = [];
  if (r.status !== want.status) out.push(`status ${r.status}, expected ${want.status}`);
  if (want.length !== null && r.body.length !== want.length) out.push(`body of ${r.body.length} B, expected ${want.length} B`);
  if (want.pattern && !want.pattern.test(r.body.toString("utf8")))
    out.push(`body does not match /${want.pattern.source}/ (${JSON.stringify(r.body.subarray(0, 60).toString("latin1"))})`);
  return out;
}

/** The problems found (empty: it answers as expected) and the reference the load is held to. */
export async function verifyUserTarget(
  host: string,
  port: number,
  load: VerifyRequest,
  check: CheckSpec,
): Promise<{ problems: string[]; reference: { status: number; length: number | null } | null }> {
  const body = load.bodyBytes > 0 ? randomBody(load.bodyBytes) : null;
  const req = buildRequest(load.method, load.path, body, load.headers ?? {});
  const ask = async () => (await exchange(host, port, req, 1, VERIFY_TIMEOUT_MS)).responses[0]!;
  const label = `${load.method} ${load.path}`;
  let first: RawResponse;
  try {
    first = await ask();
  } catch (e) {
    return { problems: [`${label}: ${(e as Error).message}`], reference: null };
  }
  if (check.status === undefined && (first.status < 200 || first.status > 299)) {
    return {
      problems: [
        `${label}: the first answer is a ${first.status}, not a 2xx, so it cannot be the reference; fix load.path or state check.status`,
      ],
      reference: null,
    };
  }
  // Stated fields as stated; the others from the first answer. A length is held to only when
  // stated or when the first answer had Content-Length (a chunked body may vary).
  const want = {
    status: check.status ?? first.status,
    length: check.length ?? (first.headers.has("content-length") && check.bodyPattern === undefined ? first.body.length : null),
    pattern: check.bodyPattern === undefined ? null : new RegExp(check.bodyPattern),
  };
  const problems = problemsOf(first, want).map((p) => `${label} (first answer): ${p}`);
  for (let i = 0; i < AGREEING && problems.length === 0; i++) {
    try {
      problems.push(...problemsOf(await ask(), want).map((p) => `${label} (answer ${i + 2}): ${p}`));
    } catch (e) {
      problems.push(`${label} (answer ${i + 2}): ${(e as Error).message}`);
    }
  }
  return { problems, reference: { status: want.status, length: want.length } };
}
