// Invite tokens (invites.md §3): 144 random bits in base64url; only their SHA-256 is ever stored.
import { hash, randomBytes } from "node:crypto";

export const TOKEN_BYTES = 18;

/**
 * 18 CSPRNG bytes, base64url without padding: 24 characters of [A-Za-z0-9_-]. One token in 64 would start
 * with "-", which `hearth invite show|revoke` would take for an option; those are drawn again (it costs
 * log2(64/63) ≈ 0.02 of the 144 bits).
 */
export function generateToken(): string {
  for (;;) {
    const token = randomBytes(TOKEN_BYTES).toString("base64url");
    if (token[0] !== "-") return token;
  }
}

/** The shape of a generated token: 18 bytes in base64url. */
export function isGeneratedShape(token: string): boolean {
  return /^[A-Za-z0-9_-]{24}$/.test(token);
}

/** Hex SHA-256 of the token (UTF-8): the key it is stored under. One-shot `hash` is ~4× cheaper than a Hash object. */
export function hashToken(token: string): string {
  return hash("sha256", token, "hex");
}

/** The name of an invite in listings and logs: the first 16 hex digits of its hash. */
export function idOfHash(tokenHash: string): string {
  return tokenHash.slice(0, 16);
}

const WELL_FORMED = /^[\x21-\x7e]{1,256}$/;

/** Any input is accepted as a token, but only 1–256 printable ASCII characters without whitespace can match one. */
export function isWellFormedToken(token: string): boolean {
  return WELL_FORMED.test(token);
}

const ID_PREFIX = /^[0-9a-f]{6,16}$/i;

/** Whether the string can name an invite by id (a prefix of 6 to 16 hex digits). */
export function looksLikeId(s: string): boolean {
  return ID_PREFIX.test(s);
}
