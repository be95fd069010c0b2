import { test, describe, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openSqliteStorage } from "../../src/storage/sqlite.ts";
import type { ScramCredential } from "../../src/storage/types.ts";
import { credentials, kinds, open, tempDir, type Opened } from "./helpers.ts";

for (const kind of kinds) {
  describe(`sqlite accounts (${kind})`, () => {
    let o: Opened;
    beforeEach(async () => {
      o = await open(kind);
    });
    afterEach(async () => {
      await o.dispose();
    });

    test("create then get returns both SCRAM credential sets as Buffers", async () => {
      const creds = credentials(4096);
      const before = Date.now();
      assert.equal(await o.storage.accounts.create("example.org", "alice", creds, "user"), true);
      const acct = await o.storage.accounts.get("example.org", "alice");
      assert.ok(acct);
      assert.equal(acct.host, "example.org");
      assert.equal(acct.username, "alice");
      assert.equal(acct.role, "user");
      for (const hash of ["sha1", "sha256"] as const) {
        const got: ScramCredential = acct.credentials[hash];
        assert.ok(Buffer.isBuffer(got.salt) && Buffer.isBuffer(got.storedKey) && Buffer.isBuffer(got.serverKey));
        assert.deepEqual(got.salt, creds[hash].salt);
        assert.deepEqual(got.storedKey, creds[hash].storedKey);
        assert.deepEqual(got.serverKey, creds[hash].serverKey);
        assert.equal(got.iterations, 4096);
      }
      assert.equal(typeof acct.createdAt, "number");
      assert.ok(acct.createdAt >= before && acct.createdAt <= Date.now());
      assert.equal(acct.passwordChangedAt, acct.createdAt);
      assert.equal(await o.storage.accounts.get("example.org", "bob"), undefined);
      assert.equal(await o.storage.accounts.get("other.example", "alice"), undefined);
    });

    test("create on a taken username returns false and changes nothing", async () => {
      const first = credentials();
      assert.equal(await o.storage.accounts.create("example.org", "alice", first, "admin"), true);
      assert.equal(await o.storage.accounts.create("example.org", "alice", credentials(), "user"), false);
      const acct = await o.storage.accounts.get("example.org", "alice");
      assert.equal(acct?.role, "admin");
      assert.deepEqual(acct?.credentials.sha256.storedKey, first.sha256.storedKey);
      // Same username on another host is a different account.
      assert.equal(await o.storage.accounts.create("other.example", "alice", credentials(), "user"), true);
    });

    test("concurrent creates of one username: exactly one wins", async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => o.storage.accounts.create("example.org", "race", credentials(), "user")),
      );
      assert.equal(results.filter((r) => r).length, 1);
      assert.equal((await o.storage.accounts.list("example.org")).length, 1);
    });

    test("exists, setCredentials, setRole, countWithRole", async () => {
      const h = "example.org";
      assert.equal(await o.storage.accounts.exists(h, "alice"), false);
      await o.storage.accounts.create(h, "alice", credentials(), "user");
      await o.storage.accounts.create(h, "bob", credentials(), "user");
      await o.storage.accounts.create("other.example", "carol", credentials(), "admin");
      assert.equal(await o.storage.accounts.exists(h, "alice"), true);

      const created = (await o.storage.accounts.get(h, "alice"))!;
      await new Promise((r) => setTimeout(r, 5));
      const next = credentials(10000);
      assert.equal(await o.storage.accounts.setCredentials(h, "alice", next), true);
      const changed = (await o.storage.accounts.get(h, "alice"))!;
      assert.deepEqual(changed.credentials.sha1.salt, next.sha1.salt);
      assert.deepEqual(changed.credentials.sha256.serverKey, next.sha256.serverKey);
      assert.equal(changed.credentials.sha256.iterations, 10000);
      assert.equal(changed.createdAt, created.createdAt);
      assert.ok(changed.passwordChangedAt > created.passwordChangedAt);
      assert.equal(await o.storage.accounts.setCredentials(h, "nobody", next), false);

      assert.equal(await o.storage.accounts.countWithRole(h, "admin"), 0);
      assert.equal(await o.storage.accounts.setRole(h, "bob", "admin"), true);
      assert.equal(await o.storage.accounts.setRole(h, "nobody", "admin"), false);
      assert.equal((await o.storage.accounts.get(h, "bob"))?.role, "admin");
      assert.equal(await o.storage.accounts.countWithRole(h, "admin"), 1);
      assert.equal(await o.storage.accounts.countWithRole(h, "user"), 1);
      assert.equal(await o.storage.accounts.countWithRole("other.example", "admin"), 1);
    });

    test("list sorts by host then username and filters by host", async () => {
      for (const [h, u] of [
        ["b.example", "zed"],
        ["a.example", "mike"],
        ["b.example", "amy"],
        ["a.example", "Bob"],
        ["a.example", "bob"],
      ] as const) {
        await o.storage.accounts.create(h, u, credentials(), "user");
      }
      const all = await o.storage.accounts.list();
      assert.deepEqual(
        all.map((a) => `${a.username}@${a.host}`),
        ["Bob@a.example", "bob@a.example", "mike@a.example", "amy@b.example", "zed@b.example"],
      );
      assert.equal(all[0]?.role, "user");
      assert.equal(typeof all[0]?.createdAt, "number");
      assert.deepEqual(
        (await o.storage.accounts.list("b.example")).map((a) => a.username),
        ["amy", "zed"],
      );
      assert.deepEqual(await o.storage.accounts.list("none.example"), []);
    });

    test("delete removes the account and everything it owns, and nobody else's", async () => {
      const h = "example.org";
      const s = o.storage;
      for (const u of ["alice", "bob"]) {
        await s.accounts.create(h, u, credentials(), "user");
        await s.rosters.putItem(h, u, { jid: "x@example.net", subscription: "both", ask: false, approved: false, groups: [] });
        await s.rosters.addPendingIn(h, u, "y@example.net", "<presence type='subscribe'/>");
        await s.offline.push(h, u, "<message/>", 1);
        await s.vcards.set(h, u, "<vCard xmlns='vcard-temp'/>");
        await s.privateData.set(h, u, "{storage:bookmarks}storage", "<storage xmlns='storage:bookmarks'/>");
      }
      assert.equal(await s.accounts.delete(h, "alice"), true);
      assert.equal(await s.accounts.get(h, "alice"), undefined);
      assert.deepEqual(await s.rosters.getRoster(h, "alice"), { version: 0, items: [] });
      assert.deepEqual(await s.rosters.listPendingIn(h, "alice"), []);
      assert.equal(await s.offline.count(h, "alice"), 0);
      assert.equal(await s.vcards.get(h, "alice"), undefined);
      assert.equal(await s.privateData.get(h, "alice", "{storage:bookmarks}storage"), undefined);

      assert.ok(await s.accounts.exists(h, "bob"));
      assert.equal((await s.rosters.getRoster(h, "bob")).items.length, 1);
      assert.equal((await s.rosters.listPendingIn(h, "bob")).length, 1);
      assert.equal(await s.offline.count(h, "bob"), 1);
      assert.ok(await s.vcards.get(h, "bob"));
      assert.ok(await s.privateData.get(h, "bob", "{storage:bookmarks}storage"));

      assert.equal(await s.accounts.delete(h, "alice"), false);
      // The name is free again.
      assert.equal(await s.accounts.create(h, "alice", credentials(), "user"), true);
    });
  });
}

test("concurrent creates through two connections to one file: exactly one wins", async () => {
  const t = tempDir();
  const path = join(t.dir, "two.db");
  const a = await openSqliteStorage(path);
  const b = await openSqliteStorage(path);
  try {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).accounts.create("example.org", "race", credentials(), "user")),
    );
    assert.equal(results.filter((r) => r).length, 1);
    assert.equal((await b.accounts.list()).length, 1);
  } finally {
    await a.close();
    await b.close();
    t.remove();
  }
});
