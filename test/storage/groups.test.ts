import { test, describe, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { credentials, kinds, open, type Opened } from "./helpers.ts";

const h = "example.org";

for (const kind of kinds) {
  describe(`sqlite groups (${kind})`, () => {
    let o: Opened;
    beforeEach(async () => {
      o = await open(kind);
    });
    afterEach(async () => {
      await o.dispose();
    });

    test("create, get and list, per host; a taken id is refused and unchanged", async () => {
      const g = o.storage.groups;
      const before = Date.now();
      assert.equal(await g.create(h, "team", "The Team"), true);
      assert.equal(await g.create(h, "default", "Everyone"), true);
      assert.equal(await g.create("other.example", "team", "Elsewhere"), true);
      assert.equal(await g.create(h, "team", "Renamed"), false);
      const team = await g.get(h, "team");
      assert.ok(team);
      assert.deepEqual({ ...team, createdAt: 0 }, { host: h, id: "team", name: "The Team", createdAt: 0 });
      assert.ok(team.createdAt >= before && team.createdAt <= Date.now());
      assert.equal(await g.get(h, "nope"), undefined);
      assert.deepEqual((await g.list(h)).map((x) => [x.id, x.name]), [["default", "Everyone"], ["team", "The Team"]]);
      assert.deepEqual((await g.list("other.example")).map((x) => x.name), ["Elsewhere"]);
      assert.deepEqual(await g.list("none.example"), []);
    });

    test("concurrent creates of one id: exactly one wins", async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, n) => o.storage.groups.create(h, "race", `n${n}`)));
      assert.equal(results.filter((r) => r).length, 1);
      assert.equal((await o.storage.groups.list(h)).length, 1);
    });

    test("members: add once, only to an existing group; remove; sorted; groupsOf", async () => {
      const g = o.storage.groups;
      await g.create(h, "b-team", "B");
      await g.create(h, "a-team", "A");
      await g.create("other.example", "a-team", "Other A");
      assert.equal(await g.addMember(h, "b-team", "zoe"), true);
      assert.equal(await g.addMember(h, "b-team", "alice"), true);
      assert.equal(await g.addMember(h, "b-team", "alice"), false);
      assert.equal(await g.addMember(h, "a-team", "alice"), true);
      assert.equal(await g.addMember(h, "missing", "alice"), false);
      assert.equal(await g.addMember("other.example", "b-team", "alice"), false);
      assert.equal(await g.addMember("other.example", "a-team", "bob"), true);
      assert.deepEqual(await g.members(h, "b-team"), ["alice", "zoe"]);
      assert.deepEqual(await g.members(h, "missing"), []);
      assert.deepEqual(await g.members("other.example", "a-team"), ["bob"]);
      assert.deepEqual(
        (await g.groupsOf(h, "alice")).map((x) => [x.host, x.id, x.name]),
        [[h, "a-team", "A"], [h, "b-team", "B"]],
      );
      assert.equal(typeof (await g.groupsOf(h, "alice"))[0]?.createdAt, "number");
      assert.deepEqual(await g.groupsOf(h, "bob"), []);
      assert.equal(await g.removeMember(h, "b-team", "alice"), true);
      assert.equal(await g.removeMember(h, "b-team", "alice"), false);
      assert.equal(await g.removeMember(h, "missing", "zoe"), false);
      assert.deepEqual(await g.members(h, "b-team"), ["zoe"]);
      assert.deepEqual((await g.groupsOf(h, "alice")).map((x) => x.id), ["a-team"]);
    });

    test("delete removes the group and its memberships; a new group of that id starts empty", async () => {
      const g = o.storage.groups;
      await g.create(h, "team", "Team");
      await g.create(h, "keep", "Keep");
      await g.addMember(h, "team", "alice");
      await g.addMember(h, "keep", "alice");
      assert.equal(await g.delete(h, "team"), true);
      assert.equal(await g.delete(h, "team"), false);
      assert.equal(await g.get(h, "team"), undefined);
      assert.deepEqual((await g.groupsOf(h, "alice")).map((x) => x.id), ["keep"]);
      assert.equal(await g.create(h, "team", "Team again"), true);
      assert.deepEqual(await g.members(h, "team"), []);
      assert.deepEqual(await g.members(h, "keep"), ["alice"]);
    });

    test("deleting an account removes its memberships, not the groups or other members", async () => {
      const s = o.storage;
      await s.accounts.create(h, "alice", credentials(), "user");
      await s.accounts.create(h, "bob", credentials(), "user");
      await s.groups.create(h, "team", "Team");
      await s.groups.addMember(h, "team", "alice");
      await s.groups.addMember(h, "team", "bob");
      await s.groups.addMember("other.example", "team", "alice");
      assert.equal(await s.accounts.delete(h, "alice"), true);
      assert.deepEqual(await s.groups.members(h, "team"), ["bob"]);
      assert.deepEqual(await s.groups.groupsOf(h, "alice"), []);
      assert.ok(await s.groups.get(h, "team"));
    });

    test("group writes roll back with their transaction", async () => {
      const s = o.storage;
      await s.groups.create(h, "team", "Team");
      await s.groups.addMember(h, "team", "bob");
      await assert.rejects(
        s.transaction(async (tx) => {
          assert.equal(await tx.groups.addMember(h, "team", "alice"), true);
          assert.equal(await tx.groups.create(h, "new", "New"), true);
          assert.equal(await tx.groups.delete(h, "team"), true);
          throw new Error("undo");
        }),
        /undo/,
      );
      assert.deepEqual(await s.groups.members(h, "team"), ["bob"]);
      assert.equal(await s.groups.get(h, "new"), undefined);
    });
  });
}
