// Circles over the stores (no server): membership plus mutual roster items named after the group.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { openSqliteStorage } from "../../../src/storage/sqlite.ts";
import type { RosterItem, Storage } from "../../../src/storage/types.ts";
import { addMember, createGroup, deleteGroup, removeMember } from "../../../src/modules/groups/circle.ts";
import { GroupError } from "../../../src/modules/groups/api.ts";
import { deriveCredentials } from "../../../src/auth/credentials.ts";

const HOST = "example.com";

async function setup(users: string[]): Promise<Storage> {
  const storage = await openSqliteStorage(":memory:");
  const creds = await deriveCredentials("a password", 1);
  for (const u of users) await storage.accounts.create(HOST, u, creds, "user");
  return storage;
}

async function roster(storage: Storage, user: string): Promise<[string, string, string[], string | undefined][]> {
  return (await storage.rosters.getRoster(HOST, user)).items.map((i) => [i.jid, i.subscription, i.groups, i.name]);
}

function groupError(code: string) {
  return (e: unknown) => e instanceof GroupError && e.code === code;
}

describe("createGroup", () => {
  test("checks the id and the name; false when the id is taken", async () => {
    const s = await setup([]);
    assert.equal(await createGroup(s, HOST, "family", "Family"), true);
    assert.equal(await createGroup(s, HOST, "family", "Other"), false);
    await assert.rejects(createGroup(s, HOST, "has space", "X"), groupError("bad-id"));
    await assert.rejects(createGroup(s, HOST, "", "X"), groupError("bad-id"));
    await assert.rejects(createGroup(s, HOST, "ok", "  "), groupError("bad-name"));
    await assert.rejects(createGroup(s, HOST, "ok", "a\nb"), groupError("bad-name"));
    assert.deepEqual((await s.groups.list(HOST)).map((g) => g.name), ["Family"]);
    await s.close();
  });
});

describe("addMember", () => {
  test("every member gets the newcomer and the newcomer every member, subscription both, under the group name", async () => {
    const s = await setup(["alice", "bob", "carol"]);
    await createGroup(s, HOST, "family", "Family");
    assert.deepEqual(await addMember(s, HOST, "family", "alice"), { changed: true, rosterChanges: [] });
    const r = await addMember(s, HOST, "family", "bob");
    assert.deepEqual(r, {
      changed: true,
      rosterChanges: [
        { username: "alice", contact: "bob@example.com" },
        { username: "bob", contact: "alice@example.com" },
      ],
    });
    await addMember(s, HOST, "family", "carol");
    assert.deepEqual(await roster(s, "carol"), [
      ["alice@example.com", "both", ["Family"], undefined],
      ["bob@example.com", "both", ["Family"], undefined],
    ]);
    assert.deepEqual(await roster(s, "alice"), [
      ["bob@example.com", "both", ["Family"], undefined],
      ["carol@example.com", "both", ["Family"], undefined],
    ]);
    assert.deepEqual(await s.groups.members(HOST, "family"), ["alice", "bob", "carol"]);
    // Again: nothing changes.
    assert.deepEqual(await addMember(s, HOST, "family", "carol"), { changed: false, rosterChanges: [] });
    await s.close();
  });

  test("an existing item keeps its name and groups, gains the circle's group and becomes both", async () => {
    const s = await setup(["alice", "bob"]);
    await createGroup(s, HOST, "family", "Family");
    const existing: RosterItem = { jid: "bob@example.com", name: "Bobby", subscription: "to", ask: false, approved: false, groups: ["Work"] };
    await s.rosters.putItem(HOST, "alice", existing);
    await addMember(s, HOST, "family", "alice");
    await addMember(s, HOST, "family", "bob");
    assert.deepEqual(await roster(s, "alice"), [["bob@example.com", "both", ["Work", "Family"], "Bobby"]]);
    assert.deepEqual(await roster(s, "bob"), [["alice@example.com", "both", ["Family"], undefined]]);
    await s.close();
  });

  test("unknown group or account", async () => {
    const s = await setup(["alice"]);
    await assert.rejects(addMember(s, HOST, "nope", "alice"), groupError("no-such-group"));
    await createGroup(s, HOST, "family", "Family");
    await assert.rejects(addMember(s, HOST, "family", "ghost"), groupError("no-such-account"));
    assert.deepEqual(await s.groups.members(HOST, "family"), []);
    await s.close();
  });

  test("inside a transaction, rolled back with it", async () => {
    const s = await setup(["alice", "bob"]);
    await createGroup(s, HOST, "family", "Family");
    await addMember(s, HOST, "family", "alice");
    await assert.rejects(
      s.transaction(async (tx) => {
        await addMember(tx, HOST, "family", "bob");
        throw new Error("abort");
      }),
    );
    assert.deepEqual(await s.groups.members(HOST, "family"), ["alice"]);
    assert.deepEqual(await roster(s, "alice"), []);
    await s.close();
  });
});

describe("removeMember and deleteGroup", () => {
  test("items the circle made go; items named or filed elsewhere stay without the group", async () => {
    const s = await setup(["alice", "bob", "carol"]);
    await createGroup(s, HOST, "family", "Family");
    await s.rosters.putItem(HOST, "carol", { jid: "alice@example.com", name: "Al", subscription: "none", ask: false, approved: false, groups: [] });
    await s.rosters.putItem(HOST, "bob", { jid: "carol@example.com", subscription: "none", ask: false, approved: false, groups: ["Work"] });
    for (const u of ["alice", "bob", "carol"]) await addMember(s, HOST, "family", u);
    const r = await removeMember(s, HOST, "family", "carol");
    assert.equal(r.changed, true);
    assert.equal(r.rosterChanges.length, 4);
    assert.deepEqual(await roster(s, "carol"), [["alice@example.com", "both", [], "Al"]]);
    assert.deepEqual(await roster(s, "bob"), [
      ["alice@example.com", "both", ["Family"], undefined],
      ["carol@example.com", "both", ["Work"], undefined],
    ]);
    assert.deepEqual(await roster(s, "alice"), [["bob@example.com", "both", ["Family"], undefined]]);
    assert.deepEqual(await removeMember(s, HOST, "family", "carol"), { changed: false, rosterChanges: [] });
    await s.close();
  });

  test("deleting a group takes everyone out first", async () => {
    const s = await setup(["alice", "bob", "carol"]);
    await createGroup(s, HOST, "family", "Family");
    for (const u of ["alice", "bob", "carol"]) await addMember(s, HOST, "family", u);
    const r = await deleteGroup(s, HOST, "family");
    assert.equal(r.changed, true);
    assert.equal(r.rosterChanges.length, 6);
    for (const u of ["alice", "bob", "carol"]) assert.deepEqual(await roster(s, u), []);
    assert.equal(await s.groups.get(HOST, "family"), undefined);
    assert.deepEqual(await deleteGroup(s, HOST, "family"), { changed: false, rosterChanges: [] });
    await s.close();
  });
});
