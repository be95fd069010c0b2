import { test, describe, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { credentials, kinds, open, type Opened } from "./helpers.ts";

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
