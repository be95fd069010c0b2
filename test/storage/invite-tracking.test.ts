import { test, describe, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { openSqliteStorage } from "../../src/storage/sqlite.ts";
import { credentials, databaseBefore, insertAccountBefore0004, kinds, open, tempDir, type Opened } from "./helpers.ts";

const h = "example.org";
const T0 = 1_700_000_000_000;

for (const kind of kinds) {
  describe(`sqlite invite tracking (${kind})`, () => {
    let o: Opened;
    beforeEach(async () => {
      o = await open(kind);
    });
    afterEach(async () => {
      await o.dispose();
    });

    test("record, get and list (oldest first, then username), per host", async () => {
      const t = o.storage.inviteTracking;
      const zoe = { host: h, username: "zoe", inviteId: "0123456789abcdef", invitedBy: "alice@example.org", at: T0 + 2 };
      const amy = { host: h, username: "amy", inviteId: "fedcba9876543210", invitedBy: "cli", at: T0 + 2 };
      const bob = { host: h, username: "bob", inviteId: "00000000aaaaaaaa", invitedBy: "bootstrap", at: T0 };
      const other = { host: "other.example", username: "zoe", inviteId: "1111111111111111", invitedBy: "api:k1", at: T0 };
      for (const e of [zoe, amy, bob, other]) await t.record(e);
      assert.deepEqual(await t.get(h, "zoe"), zoe);
      assert.deepEqual(await t.get("other.example", "zoe"), other);
      assert.equal(await t.get(h, "nobody"), undefined);
      assert.deepEqual(await t.list(h), [bob, amy, zoe]);
      assert.deepEqual(await t.list("other.example"), [other]);
      assert.deepEqual(await t.list("none.example"), []);
    });

    test("the row outlives the account; registering the name again replaces it", async () => {
      const s = o.storage;
      await s.accounts.create(h, "zoe", credentials(), "user");
      const first = { host: h, username: "zoe", inviteId: "0123456789abcdef", invitedBy: "alice@example.org", at: T0 };
      await s.inviteTracking.record(first);
      assert.equal(await s.accounts.delete(h, "zoe"), true);
      assert.deepEqual(await s.inviteTracking.get(h, "zoe"), first);
      const again = { host: h, username: "zoe", inviteId: "aaaaaaaaaaaaaaaa", invitedBy: "cli", at: T0 + 1000 };
      await s.inviteTracking.record(again);
      assert.deepEqual(await s.inviteTracking.get(h, "zoe"), again);
      assert.deepEqual(await s.inviteTracking.list(h), [again]);
    });

    test("the name registered again with an invite: the new account's entry wins, and is archived in turn", async () => {
      const s = o.storage;
      const first = { host: h, username: "zoe", inviteId: "0123456789abcdef", invitedBy: "alice@example.org", at: T0 };
      const again = { host: h, username: "zoe", inviteId: "aaaaaaaaaaaaaaaa", invitedBy: "cli", at: T0 + 1000 };
      const amy = { host: h, username: "amy", inviteId: "bbbbbbbbbbbbbbbb", invitedBy: "zoe@example.org", at: T0 + 500 };
      await s.accounts.create(h, "zoe", credentials(), "user");
      await s.inviteTracking.record(first);
      await s.accounts.create(h, "amy", credentials(), "user");
      await s.inviteTracking.record(amy);
      assert.equal(await s.accounts.delete(h, "zoe"), true);
      await s.accounts.create(h, "zoe", credentials(), "user");
      assert.deepEqual(await s.inviteTracking.get(h, "zoe"), first, "registered again without an invite: the old entry stands");
      await s.inviteTracking.record(again);
      assert.deepEqual(await s.inviteTracking.get(h, "zoe"), again);
      assert.deepEqual(await s.inviteTracking.list(h), [amy, again]);
      assert.equal(await s.accounts.delete(h, "zoe"), true);
      assert.deepEqual(await s.inviteTracking.get(h, "zoe"), again);
      assert.deepEqual(await s.inviteTracking.list(h), [amy, again]);
      assert.equal(await s.accounts.delete(h, "nobody"), false);
      assert.deepEqual(await s.inviteTracking.list(h), [amy, again], "deleting an unknown name archives nothing");
    });

    test("an account created with its invite carries the entry from its first row; one created without, none", async () => {
      const s = o.storage;
      const invited = { inviteId: "0123456789abcdef", invitedBy: "alice@example.org", at: T0 };
      assert.equal(await s.accounts.create(h, "zoe", credentials(), "user", invited), true);
      assert.equal(await s.accounts.create(h, "amy", credentials(), "user"), true);
      assert.deepEqual(await s.inviteTracking.get(h, "zoe"), { host: h, username: "zoe", ...invited });
      assert.equal(await s.inviteTracking.get(h, "amy"), undefined);
      const taken = { inviteId: "aaaaaaaaaaaaaaaa", invitedBy: "cli", at: T0 + 1 };
      assert.equal(await s.accounts.create(h, "zoe", credentials(), "user", taken), false, "the name is taken");
      assert.deepEqual(await s.inviteTracking.get(h, "zoe"), { host: h, username: "zoe", ...invited }, "the loser wrote nothing");
      assert.equal(await s.accounts.delete(h, "zoe"), true);
      assert.deepEqual(await s.inviteTracking.get(h, "zoe"), { host: h, username: "zoe", ...invited }, "archived with the deletion");
    });

    test("a record rolls back with the registration's transaction", async () => {
      const s = o.storage;
      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.accounts.create(h, "zoe", credentials(), "user");
          await tx.inviteTracking.record({ host: h, username: "zoe", inviteId: "0123456789abcdef", invitedBy: "cli", at: T0 });
          throw new Error("undo");
        }),
        /undo/,
      );
      assert.equal(await s.inviteTracking.get(h, "zoe"), undefined);
    });
  });
}

test("an account's entry is stored on its own row; invite_tracking holds it only once the account is gone", async () => {
  const o = await open("file");
  const archived = (): unknown[] => {
    const probe = new BetterSqlite3(o.path, { readonly: true });
    try {
      return probe.prepare("select username from invite_tracking").pluck().all();
    } finally {
      probe.close();
    }
  };
  try {
    await o.storage.accounts.create(h, "zoe", credentials(), "user");
    await o.storage.inviteTracking.record({ host: h, username: "zoe", inviteId: "0123456789abcdef", invitedBy: "cli", at: T0 });
    assert.deepEqual(archived(), []);
    await o.storage.accounts.delete(h, "zoe");
    assert.deepEqual(archived(), ["zoe"]);
  } finally {
    await o.dispose();
  }
});

test("migration 0004 moves the entries of living accounts onto their rows and keeps the others", async () => {
  const t = tempDir();
  const path = join(t.dir, "old.db");
  try {
    const old = await databaseBefore(path, "0004");
    await insertAccountBefore0004(old, h, "alice", T0);
    const alice = { host: h, username: "alice", invite_id: "0123456789abcdef", invited_by: "cli", at: T0 };
    const ghost = { host: h, username: "ghost", invite_id: "fedcba9876543210", invited_by: "alice@example.org", at: T0 + 1 };
    await old.insertInto("invite_tracking").values([alice, ghost]).execute();
    await old.destroy();

    const s = await openSqliteStorage(path);
    try {
      const entry = (e: typeof alice) => ({ host: e.host, username: e.username, inviteId: e.invite_id, invitedBy: e.invited_by, at: e.at });
      assert.deepEqual(await s.inviteTracking.get(h, "alice"), entry(alice));
      assert.deepEqual(await s.inviteTracking.get(h, "ghost"), entry(ghost));
      assert.deepEqual(await s.inviteTracking.list(h), [entry(alice), entry(ghost)]);
      const probe = new BetterSqlite3(path, { readonly: true });
      try {
        assert.deepEqual(probe.prepare("select username from invite_tracking").pluck().all(), ["ghost"]);
        assert.equal(probe.prepare("select invited_by from accounts where username = 'alice'").pluck().get(), "cli");
      } finally {
        probe.close();
      }
      await s.accounts.delete(h, "alice");
      assert.deepEqual(await s.inviteTracking.list(h), [entry(alice), entry(ghost)]);
    } finally {
      await s.close();
    }
  } finally {
    t.remove();
  }
});
