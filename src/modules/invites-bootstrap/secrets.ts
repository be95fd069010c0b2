// The bootstrap's two secrets: the configured one callers present, and each invite's token, derived so the same URL can be given again.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { TOKEN_BYTES } from "../invites/tokens.ts";

/**
 * The token of the bootstrap invite of `host` for `index`: 18 bytes of HMAC-SHA256 under the server secret,
 * in base64url, shaped like any generated token. Only the server can compute it, and it is never stored.
 */
export function bootstrapToken(serverSecret: Buffer, host: string, index: number): string {
  return createHmac("sha256", serverSecret).update(`bootstrap:${host}:${index}`).digest().subarray(0, TOKEN_BYTES).toString("base64url");
}

/** Compares in constant time (digests of equal length), so the answer's timing says nothing about the secret. */
export function secretMatcher(secret: string): (given: string | undefined) => boolean {
  const expected = sha256(secret);
  return (given) => given !== undefined && timingSafeEqual(sha256(given), expected);
}

function sha256(s: string): Buffer {
  return createHash("sha256").update(s, "utf8").digest();
}
