// Random identifiers (session ids, stream ids, generated resources) drawn from a pooled CSPRNG buffer.
import { randomFillSync } from "node:crypto";

// randomBytes() costs ~3 µs per call whatever the size; one 4 KiB fill serves hundreds of ids.
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

/** `bytes` fresh random bytes as base64url (each byte is used once, never reused). */
export function randomId(bytes: number): string {
  if (bytes > POOL_BYTES) throw new RangeError("randomId: too many bytes");
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const s = pool.toString("base64url", offset, offset + bytes);
  offset += bytes;
  return s;
}
