import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { deriveCredentials } from "../../src/auth/credentials.ts";
import type { Storage } from "../../src/storage/types.ts";
import { HOST, OTHER_HOST, sandbox, type Sandbox } from "./helpers.ts";

async function rosterOf(s: Storage, username: string) {
  return (await s.rosters.getRoster(HOST, username)).items.map((i) => ({ jid: i.jid, subscription: i.subscription, groups: i.groups }));
}

describe("hearth group", () => {
  let box: Sandbox;
  before(async () => {
    box = sandbox();
    await box.withStorage(async (s) => {
      const creds = await deriveCredentials("password");
      for (const u of ["alice", "bob", "carol"]) assert.equal(await s.accounts.create(HOST, u, creds, "user"), true);
      assert.equal(await s.accounts.create(OTHER_HOST, "erin", creds, "user"), true);
    });
  });
  after(() => box.remove());

  test("create makes a group (name defaults to the id); duplicates, bad ids and bad names are refused", async () => {
    const [family, club] = await Promise.all([
      box.run(["group", "create", "family", "--name", "The Family"]),
      box.run(["group", "create", "club", "--host", OTHER_HOST]),
    ]);
    assert.equal(family.code, 0, family.stderr);
    assert.equal(family.stdout.trim(), `created group family ("The Family") on ${HOST}`);
    assert.equal(club.code, 0, club.stderr);
    await box.withStorage(async (s) => {
      assert.equal((await s.groups.get(HOST, "family"))?.name, "The Family");
      assert.equal((await s.groups.get(OTHER_HOST, "club"))?.name, "club");
      assert.equal(await s.groups.get(HOST, "club"), undefined);
    });

    const cases: [string[], RegExp][] = [
      [["group", "create", "family"], /group 'family' already exists on example\.com/],
      [["group", "create", "bad id"], /A group id is 1 to 64 letters/],
      [["group", "create", "-dash"], /./],
      [["group", "create", "ok", "--name", "   "], /--name: A group name is 1 to 100 characters/],
      [["group", "create", "ok", "--host", "nowhere.test"], /nowhere\.test is not a host of this server/],
    ];
    const results = await Promise.all(cases.map(([args]) => box.run(args)));
    cases.forEach(([args, message], i) => {
      assert.notEqual(results[i]!.code, 0, args.join(" "));
      assert.match(results[i]!.stderr, message, args.join(" "));
    });
    await box.withStorage(async (s) => assert.deepEqual((await s.groups.list(HOST)).map((g) => g.id), ["family"]));
  });

  test("add makes the members mutual contacts under the group's name", async () => {
    const a = await box.run(["group", "add", "family", `alice@${HOST}`]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout.trim(), `added alice@${HOST} to group family (0 roster items written)`);
    const b = await box.run(["group", "add", "family", `bob@${HOST}`]);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout.trim(), `added bob@${HOST} to group family (2 roster items written)`);
    await box.withStorage(async (s) => {
      assert.deepEqual(await s.groups.members(HOST, "family"), ["alice", "bob"]);
      assert.deepEqual(await rosterOf(s, "alice"), [{ jid: `bob@${HOST}`, subscription: "both", groups: ["The Family"] }]);
      assert.deepEqual(await rosterOf(s, "bob"), [{ jid: `alice@${HOST}`, subscription: "both", groups: ["The Family"] }]);
    });
  });

  test("add refuses unknown groups and accounts, members, other hosts and bad JIDs", async () => {
    const cases: [string[], RegExp][] = [
      [["group", "add", "nosuch", `carol@${HOST}`], /no group 'nosuch' on example\.com/],
      [["group", "add", "family", `nobody@${HOST}`], /nobody@example\.com does not exist/],
      [["group", "add", "family", `alice@${HOST}`], /alice@example\.com is already in group family/],
      [["group", "add", "family", `erin@${OTHER_HOST}`], /no group 'family' on other\.example/],
      [["group", "add", "family", HOST], /Supply the JID of an account/],
      [["group", "add", "family", "carol@nowhere.test"], /nowhere\.test is not a host of this server/],
      [["group", "add", "family", "@@"], /is not a valid JID/],
    ];
    const results = await Promise.all(cases.map(([args]) => box.run(args)));
    cases.forEach(([args, message], i) => {
      assert.equal(results[i]!.code, 1, args.join(" "));
      assert.match(results[i]!.stderr, message, args.join(" "));
      assert.equal(results[i]!.stdout, "");
    });
    await box.withStorage(async (s) => assert.deepEqual(await s.groups.members(HOST, "family"), ["alice", "bob"]));
  });

  test("list and show", async () => {
    const [list, listJson, show, showJson, missing] = await Promise.all([
      box.run(["group", "list"]),
      box.run(["group", "list", "--host", OTHER_HOST, "--json"]),
      box.run(["group", "show", "family"]),
      box.run(["group", "show", "family", "--json"]),
      box.run(["group", "show", "nosuch"]),
    ]);
    assert.equal(list.code, 0, list.stderr);
    const lines = list.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^id\s+members\s+name$/);
    assert.match(lines[1]!, /^family\s+2\s+The Family$/);
    assert.equal(lines[2], "1 group");
    assert.deepEqual(
      (JSON.parse(listJson.stdout) as { id: string; name: string; members: number }[]).map(({ id, name, members }) => ({ id, name, members })),
      [{ id: "club", name: "club", members: 0 }],
    );
    assert.equal(show.code, 0, show.stderr);
    const out = show.stdout.trimEnd().split("\n");
    assert.equal(out[0], `Group family on ${HOST}`);
    assert.equal(out[1], "Name:     The Family");
    assert.equal(out[3], "Members:  2");
    assert.deepEqual(out.slice(4), [`  alice@${HOST}`, `  bob@${HOST}`]);
    assert.deepEqual((JSON.parse(showJson.stdout) as { members: string[] }).members, [`alice@${HOST}`, `bob@${HOST}`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no group 'nosuch' on example\.com/);
  });

  test("remove takes the member out and the contacts the group made; removing a non-member is an error", async () => {
    const c = await box.run(["group", "add", "family", `carol@${HOST}`]);
    assert.equal(c.code, 0, c.stderr);
    const r = await box.run(["group", "remove", "family", `bob@${HOST}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `removed bob@${HOST} from group family`);
    await box.withStorage(async (s) => {
      assert.deepEqual(await s.groups.members(HOST, "family"), ["alice", "carol"]);
      assert.deepEqual(await rosterOf(s, "bob"), []);
      assert.deepEqual((await rosterOf(s, "alice")).map((i) => i.jid), [`carol@${HOST}`]);
    });
    const [again, unknown] = await Promise.all([
      box.run(["group", "remove", "family", `bob@${HOST}`]),
      box.run(["group", "remove", "nosuch", `bob@${HOST}`]),
    ]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /bob@example\.com is not in group family/);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no group 'nosuch'/);
  });

  test("delete takes every member out, then deletes the group; unknown groups are an error", async () => {
    const d = await box.run(["group", "delete", "family"]);
    assert.equal(d.code, 0, d.stderr);
    assert.equal(d.stdout.trim(), `deleted group family on ${HOST} (2 members taken out)`);
    await box.withStorage(async (s) => {
      assert.equal(await s.groups.get(HOST, "family"), undefined);
      assert.deepEqual(await s.groups.members(HOST, "family"), []);
      assert.deepEqual(await rosterOf(s, "alice"), []);
      assert.deepEqual(await rosterOf(s, "carol"), []);
      assert.ok(await s.groups.get(OTHER_HOST, "club"), "other hosts' groups stay");
    });
    const again = await box.run(["group", "delete", "family"]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no group 'family' on example\.com/);
  });
});
