import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { openSqliteStorage } from "../../../src/storage/sqlite.ts";
import type { Storage } from "../../../src/storage/types.ts";
import { checkCredential, createApiKey, hashSecret, keyAllows, parseCredential } from "../../../src/modules/invites-api/keys.ts";
import { bearer } from "../../../src/modules/invites-api/auth.ts";

const ID = "AbCdEfGh_-12";
const SECRET = "s".repeat(30) + "-_0aZ9";

describe("invites API keys", () => {
  let storage: Storage;
  before(async () => {
    storage = await openSqliteStorage(":memory:");
  });
  after(() => storage.close());

  test("credentials are ID.SECRET or ID/SECRET with exact lengths of base64url", () => {
    assert.deepEqual(parseCredential(`${ID}.${SECRET}`), { id: ID, secret: SECRET });
    assert.deepEqual(parseCredential(`${ID}/${SECRET}`), { id: ID, secret: SECRET });
    for (const bad of [`${ID}:${SECRET}`, `${ID}.${SECRET}x`, `${ID.slice(1)}.${SECRET}`, `${ID}.${SECRET.slice(1)}+`, `${ID}.${SECRET} `, "", ID]) {
      assert.equal(parseCredential(bad), undefined, bad);
    }
  });

  test("bearer takes the credential of a Bearer header, any case, nothing else", () => {
    assert.equal(bearer(`Bearer ${ID}.${SECRET}`), `${ID}.${SECRET}`);
    assert.equal(bearer(`bearer  abc`), "abc");
    for (const h of [undefined, "", "Basic abc", "Bearer", "Bearer a b", "Bearerabc"]) assert.equal(bearer(h), undefined, String(h));
  });

  test("createApiKey: random 12 + 36 character key, SHA-256 of the secret stored, kinds in canonical order", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { record, credential } = await createApiKey(storage.apiKeys, { kinds: ["reset", "account", "reset"] });
      const parsed = parseCredential(credential);
      assert.ok(parsed);
      assert.equal(parsed.id, record.id);
      assert.ok(!record.id.startsWith("-"), "an id never reads as a command-line option");
      assert.equal(record.secretHash, createHash("sha256").update(parsed.secret).digest("hex"));
      assert.deepEqual(record.kinds, ["account", "reset"]);
      ids.add(record.id);
    }
    assert.equal(ids.size, 200);
    await assert.rejects(createApiKey(storage.apiKeys, { kinds: [] }), RangeError);
  });

  test("checkCredential: one success, and a reason for each failure", async () => {
    const now = Date.now();
    const { record, credential } = await createApiKey(storage.apiKeys, { expires: now + 1000 }, now);
    const { id, secret } = parseCredential(credential)!;
    assert.deepEqual(await checkCredential(storage.apiKeys, credential, now), { ok: true, key: record });
    assert.deepEqual(await checkCredential(storage.apiKeys, `${id}/${secret}`, now), { ok: true, key: record });
    const wrong = `${id}.${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    assert.deepEqual(await checkCredential(storage.apiKeys, wrong, now), { ok: false, reason: "wrong-secret", id });
    assert.deepEqual(await checkCredential(storage.apiKeys, `${"Z".repeat(12)}.${secret}`, now), { ok: false, reason: "unknown", id: "Z".repeat(12) });
    assert.deepEqual(await checkCredential(storage.apiKeys, "junk", now), { ok: false, reason: "malformed", id: undefined });
    assert.deepEqual(await checkCredential(storage.apiKeys, credential, now + 1000), { ok: false, reason: "expired", id });
    await storage.apiKeys.revoke(id, now);
    assert.deepEqual(await checkCredential(storage.apiKeys, credential, now), { ok: false, reason: "revoked", id });
    // The state of a key is told only to whoever has its secret.
    assert.deepEqual(await checkCredential(storage.apiKeys, wrong, now + 5000), { ok: false, reason: "wrong-secret", id });
  });

  test("keyAllows: hosts (undefined = all) and kinds", () => {
    const key = { id: ID, name: undefined, secretHash: hashSecret(SECRET), createdAt: 0, expires: undefined, revokedAt: undefined };
    const scoped = { ...key, hosts: ["a.example"], kinds: ["contact" as const] };
    assert.equal(keyAllows(scoped, "a.example"), true);
    assert.equal(keyAllows(scoped, "a.example", "contact"), true);
    assert.equal(keyAllows(scoped, "a.example", "account"), false);
    assert.equal(keyAllows(scoped, "b.example"), false);
    const all = { ...key, hosts: undefined, kinds: ["account" as const, "contact" as const, "reset" as const] };
    assert.equal(keyAllows(all, "anything.example", "reset"), true);
  });
});
