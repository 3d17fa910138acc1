// The claimed-versus-measured part of the terminal output (filled in from src/report/claims.ts).
import type { ResultFile } from "../results/schema.js";

export function claimsSection(r: ResultFile): string | null {
  const claims = (r.scenario as { claims?: unknown }).claims;
  if (!claims) return null;
  return null;
}
