// The body hash `--check body` compares: FNV-1a, 64 bits, over the body bytes after
// de-chunking, the same function as the native parser's (native/core/http_response.h), shown
// as 16 hex digits. Not a cryptographic hash: it tells a changed answer from the expected one.
const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = (1n << 64n) - 1n;

export function bodyHash(bytes: Uint8Array): string {
  let h = OFFSET;
  for (const b of bytes) h = ((h ^ BigInt(b)) * PRIME) & MASK;
  return h.toString(16).padStart(16, "0");
}
