// Invites-API keys (invites.md §12 [OURS]): random id and secret, only the secret's SHA-256 stored, constant-time checks.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { ApiKeyKind, ApiKeyRecord, ApiKeyStore } from "../../storage/types.ts";

export const API_KEY_KINDS: readonly ApiKeyKind[] = ["account", "contact", "reset"];

/** 9 random bytes → 12 base64url characters; 27 → 36 (Prosody's id and secret lengths). */
const ID_BYTES = 9;
const SECRET_BYTES = 27;
const CREDENTIAL = /^([A-Za-z0-9_-]{12})[./]([A-Za-z0-9_-]{36})$/;

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** `ID.SECRET` (ours) or `ID/SECRET` (Prosody's mod_invites_api); undefined for anything else. */
export function parseCredential(input: string): { id: string; secret: string } | undefined {
  const m = CREDENTIAL.exec(input);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

export interface NewApiKey {
  name?: string;
  /** Undefined: every host. */
  hosts?: string[];
  /** Default: every kind. */
  kinds?: ApiKeyKind[];
  /** Unix ms. */
  expires?: number;
}

export interface CreatedApiKey {
  record: ApiKeyRecord;
  /** `ID.SECRET`: shown once, never stored. */
  credential: string;
}

/** Makes and stores a new key; a (vanishingly unlikely) id collision just draws again. */
export async function createApiKey(store: ApiKeyStore, opts: NewApiKey, now: number = Date.now()): Promise<CreatedApiKey> {
  const kinds = API_KEY_KINDS.filter((k) => (opts.kinds ?? API_KEY_KINDS).includes(k));
  if (kinds.length === 0) throw new RangeError("an API key needs at least one invite kind");
  const hosts = opts.hosts === undefined ? undefined : [...new Set(opts.hosts)];
  for (;;) {
    const id = randomBytes(ID_BYTES).toString("base64url");
    // An id starting with "-" would read as an option on the command line (`hearth api-key revoke ID`).
    if (id.startsWith("-")) continue;
    const secret = randomBytes(SECRET_BYTES).toString("base64url");
    const record: ApiKeyRecord = {
      id,
      name: opts.name,
      hosts,
      kinds,
      secretHash: hashSecret(secret),
      createdAt: now,
      expires: opts.expires,
      revokedAt: undefined,
    };
    if (await store.insert(record)) return { record, credential: `${id}.${secret}` };
  }
}

export type KeyCheck =
  | { ok: true; key: ApiKeyRecord }
  | { ok: false; reason: "malformed" | "unknown" | "wrong-secret" | "expired" | "revoked"; id: string | undefined };

/** Compared against for unknown ids, so that they cost what a known one does. */
const DUMMY_HASH = Buffer.from(hashSecret("no such key"), "hex");

function sameHash(presented: string, storedHex: string): boolean {
  const a = Buffer.from(presented, "hex");
  const b = Buffer.from(storedHex, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Checks a presented `ID.SECRET`: the secret by its hash in constant time, then expiry and revocation. */
export async function checkCredential(store: ApiKeyStore, input: string, now: number): Promise<KeyCheck> {
  const parsed = parseCredential(input);
  if (parsed === undefined) return { ok: false, reason: "malformed", id: undefined };
  const { id, secret } = parsed;
  const key = await store.get(id);
  const presented = hashSecret(secret);
  if (key === undefined) {
    timingSafeEqual(Buffer.from(presented, "hex"), DUMMY_HASH);
    return { ok: false, reason: "unknown", id };
  }
  if (!sameHash(presented, key.secretHash)) return { ok: false, reason: "wrong-secret", id };
  if (key.revokedAt !== undefined) return { ok: false, reason: "revoked", id };
  if (key.expires !== undefined && now >= key.expires) return { ok: false, reason: "expired", id };
  return { ok: true, key };
}

/** Whether the key may create (and see) invites of this kind on this host. */
export function keyAllows(key: ApiKeyRecord, host: string, kind?: ApiKeyKind): boolean {
  if (key.hosts !== undefined && !key.hosts.includes(host)) return false;
  return kind === undefined || key.kinds.includes(kind);
}
