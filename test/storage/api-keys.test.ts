import { test, describe, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import type { ApiKeyRecord } from "../../src/storage/types.ts";
import { kinds, open, type Opened } from "./helpers.ts";

const T0 = 1_700_000_000_000;

function key(over: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: "AbCdEfGhIj-_",
    name: "portal",
    hosts: ["example.org"],
    kinds: ["account", "reset"],
    secretHash: "ab".repeat(32),
    createdAt: T0,
    expires: T0 + 3_600_000,
    revokedAt: undefined,
    ...over,
  };
}

for (const kind of kinds) {
  describe(`sqlite api keys (${kind})`, () => {
    let o: Opened;
    beforeEach(async () => {
      o = await open(kind);
    });
    afterEach(async () => {
      await o.dispose();
    });

    test("insert and get round-trip every field; an unknown id is undefined", async () => {
      const k = key();
      assert.equal(await o.storage.apiKeys.insert(k), true);
      assert.deepEqual(await o.storage.apiKeys.get(k.id), k);
      assert.equal(await o.storage.apiKeys.get("nope00000000"), undefined);
    });

    test("no name, every host and no expiry come back as undefined", async () => {
      const k = key({ id: "all-hosts-00", name: undefined, hosts: undefined, expires: undefined, kinds: ["contact"] });
      await o.storage.apiKeys.insert(k);
      assert.deepEqual(await o.storage.apiKeys.get(k.id), k);
    });

    test("a taken id is refused without change", async () => {
      await o.storage.apiKeys.insert(key());
      assert.equal(await o.storage.apiKeys.insert(key({ name: "other", secretHash: "cd".repeat(32) })), false);
      assert.equal((await o.storage.apiKeys.get(key().id))?.name, "portal");
    });

    test("ids are case-sensitive", async () => {
      await o.storage.apiKeys.insert(key({ id: "aaaaaaaaaaaa" }));
      assert.equal(await o.storage.apiKeys.get("AAAAAAAAAAAA"), undefined);
    });

    test("list is oldest first and keeps revoked keys; revoke works once", async () => {
      const b = key({ id: "bbbbbbbbbbbb", createdAt: T0 + 2 });
      const a = key({ id: "aaaaaaaaaaaa", createdAt: T0 + 1 });
      const c = key({ id: "cccccccccccc", createdAt: T0 + 1 });
      for (const k of [b, c, a]) await o.storage.apiKeys.insert(k);
      assert.equal(await o.storage.apiKeys.revoke(a.id, T0 + 10), true);
      assert.equal(await o.storage.apiKeys.revoke(a.id, T0 + 20), false);
      assert.equal(await o.storage.apiKeys.revoke("unknown00000", T0), false);
      assert.deepEqual(await o.storage.apiKeys.list(), [{ ...a, revokedAt: T0 + 10 }, c, b]);
    });

    test("a key inserted in a rolled-back transaction is gone", async () => {
      await assert.rejects(
        o.storage.transaction(async (tx) => {
          await tx.apiKeys.insert(key());
          throw new Error("roll back");
        }),
        /roll back/,
      );
      assert.equal(await o.storage.apiKeys.get(key().id), undefined);
    });
  });
}
