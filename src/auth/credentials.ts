// SCRAM credentials (RFC 5802 §3, RFC 7677) with SASLprep (RFC 4013): derivation, password checks, identity prep.

import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import saslprep from "@mongodb-js/saslprep";
import type { Credentials, ScramCredential } from "../storage/types.ts";
import { type ScramHash, scramKeys } from "./scram-hi.ts";

export type { ScramHash };

export const DEFAULT_ITERATIONS = 4096;
export const SALT_BYTES = 16;

export const HASH_BYTES: Readonly<Record<ScramHash, number>> = { sha1: 20, sha256: 32 };

/** RFC 3454 table B.1 ("commonly mapped to nothing"); the library crashes on input made only of these. */
const MAPPED_TO_NOTHING = /[\u00AD\u034F\u1806\u180B-\u180D\u200B-\u200D\u2060\uFE00-\uFE0F\uFEFF]/g;

function prep(s: string): string {
  if (s.replace(MAPPED_TO_NOTHING, "") === "") return "";
  return saslprep(s, { allowUnassigned: true });
}

/**
 * SASLprep with "query" semantics (RFC 5802 §2.2): unassigned code points pass, because the library's tables are
 * Unicode 3.2 and would otherwise reject e.g. emoji. Throws on prohibited output (controls, bidi violations...).
 */
export function saslprepPassword(p: string): string {
  return prep(p);
}

/** SASLprep for authentication identities; the caller then applies the JID localpart profile. */
export function saslprepUsername(u: string): string {
  return prep(u);
}

export function hmac(hash: ScramHash, key: Buffer, data: Buffer | string): Buffer {
  return createHmac(hash, key).update(data).digest();
}

export function digest(hash: ScramHash, data: Buffer): Buffer {
  return createHash(hash).update(data).digest();
}

/** One hash's credential from an already-prepared password; `salt` is injectable for test vectors. */
export async function deriveScramCredential(
  preparedPassword: string,
  hash: ScramHash,
  iterations: number,
  salt: Buffer = randomBytes(SALT_BYTES),
): Promise<ScramCredential> {
  return { salt, iterations, ...(await scramKeys(hash, Buffer.from(preparedPassword, "utf8"), salt, iterations)) };
}

export async function deriveCredentials(password: string, iterations: number = DEFAULT_ITERATIONS): Promise<Credentials> {
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError("iterations must be a positive integer");
  const prepared = saslprepPassword(password);
  if (prepared.length === 0) throw new RangeError("password is empty after SASLprep");
  const [sha1, sha256] = await Promise.all([
    deriveScramCredential(prepared, "sha1", iterations),
    deriveScramCredential(prepared, "sha256", iterations),
  ]);
  return { sha1, sha256 };
}

export async function verifyPassword(creds: Credentials, password: string): Promise<boolean> {
  let prepared: string;
  try {
    prepared = saslprepPassword(password);
  } catch {
    return false;
  }
  if (prepared.length === 0) return false;
  const c = creds.sha256;
  const { storedKey } = await scramKeys("sha256", Buffer.from(prepared, "utf8"), c.salt, c.iterations);
  return storedKey.length === c.storedKey.length && timingSafeEqual(storedKey, c.storedKey);
}

/**
 * Whether a requested authorization identity names the authenticated account itself (`user@host`, no resource).
 * Impersonation is never allowed, so anything else is refused.
 */
export function authzidMatches(
  authzid: string,
  username: string,
  host: string,
  prepUsername: (u: string) => string,
): boolean {
  if (authzid.includes("/")) return false;
  const at = authzid.lastIndexOf("@");
  if (at <= 0) return false;
  const domain = authzid.slice(at + 1).replace(/\.$/, "").toLowerCase();
  if (domain !== host.toLowerCase()) return false;
  try {
    return prepUsername(saslprepUsername(authzid.slice(0, at))) === username;
  } catch {
    return false;
  }
}
