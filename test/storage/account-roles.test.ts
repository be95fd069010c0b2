import { test, describe, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { credentials, kinds, open, type Opened } from "./helpers.ts";

const h = "example.org";

for (const kind of kinds) {
  describe(`sqlite secondary roles (${kind})`, () => {
    let o: Opened;
    beforeEach(async () => {
      o = await open(kind);
    });
    afterEach(async () => {
      await o.dispose();
    });

    test("set replaces the set (deduplicated, read back sorted); empty clears; per account", async () => {
      const a = o.storage.accounts;
      await a.create(h, "alice", credentials(), "user");
      await a.create(h, "bob", credentials(), "user");
      await a.create("other.example", "alice", credentials(), "user");
      assert.deepEqual(await a.getSecondaryRoles(h, "alice"), []);
      await a.setSecondaryRoles(h, "alice", ["moderator", "beta", "moderator"]);
      await a.setSecondaryRoles(h, "bob", ["beta"]);
      assert.deepEqual(await a.getSecondaryRoles(h, "alice"), ["beta", "moderator"]);
      await a.setSecondaryRoles(h, "alice", ["tester"]);
      assert.deepEqual(await a.getSecondaryRoles(h, "alice"), ["tester"]);
      assert.deepEqual(await a.getSecondaryRoles(h, "bob"), ["beta"]);
      assert.deepEqual(await a.getSecondaryRoles("other.example", "alice"), []);
      await a.setSecondaryRoles(h, "alice", []);
      assert.deepEqual(await a.getSecondaryRoles(h, "alice"), []);
      // The primary role is not among them.
      assert.equal((await a.get(h, "bob"))?.role, "user");
    });

    test("nothing is kept for an account that does not exist", async () => {
      const a = o.storage.accounts;
      await a.setSecondaryRoles(h, "ghost", ["admin-ish"]);
      assert.deepEqual(await a.getSecondaryRoles(h, "ghost"), []);
      await a.create(h, "ghost", credentials(), "user");
      assert.deepEqual(await a.getSecondaryRoles(h, "ghost"), []);
    });

    test("deleting the account deletes its roles; the name registered again starts with none", async () => {
      const a = o.storage.accounts;
      await a.create(h, "alice", credentials(), "user");
      await a.create(h, "bob", credentials(), "user");
      await a.setSecondaryRoles(h, "alice", ["beta"]);
      await a.setSecondaryRoles(h, "bob", ["beta"]);
      assert.equal(await a.delete(h, "alice"), true);
      assert.deepEqual(await a.getSecondaryRoles(h, "alice"), []);
      await a.create(h, "alice", credentials(), "user");
      assert.deepEqual(await a.getSecondaryRoles(h, "alice"), []);
      assert.deepEqual(await a.getSecondaryRoles(h, "bob"), ["beta"]);
    });

    test("roles set in a registration transaction roll back with it, and commit with it", async () => {
      const s = o.storage;
      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.accounts.create(h, "zoe", credentials(), "user");
          await tx.accounts.setSecondaryRoles(h, "zoe", ["beta"]);
          assert.deepEqual(await tx.accounts.getSecondaryRoles(h, "zoe"), ["beta"]);
          throw new Error("undo");
        }),
        /undo/,
      );
      assert.deepEqual(await s.accounts.getSecondaryRoles(h, "zoe"), []);
      await s.transaction(async (tx) => {
        await tx.accounts.create(h, "zoe", credentials(), "user");
        await tx.accounts.setSecondaryRoles(h, "zoe", ["beta"]);
      });
      assert.deepEqual(await s.accounts.getSecondaryRoles(h, "zoe"), ["beta"]);
    });
  });
}
