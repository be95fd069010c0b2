import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { verifyPassword } from "../../src/auth/credentials.ts";
import { InvitesModel } from "../../src/modules/invites/model.ts";
import { HOST, OTHER_HOST, runCli, sandbox, type Sandbox } from "./helpers.ts";

describe("hearth user", () => {
  let box: Sandbox;
  before(() => {
    box = sandbox();
  });
  after(() => box.remove());

  test("add --password-stdin creates the account with that password and the default role", async () => {
    const r = await box.run(["user", "add", `alice@${HOST}`, "--password-stdin"], "correct horse battery\n");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `created alice@${HOST} (user)`);
    await box.withStorage(async (s) => {
      const a = await s.accounts.get(HOST, "alice");
      assert.ok(a);
      assert.equal(a.role, "user");
      assert.equal(await verifyPassword(a.credentials, "correct horse battery"), true);
      assert.equal(await verifyPassword(a.credentials, "wrong"), false);
    });
  });

  test("add --role admin; the JID is prepared (case-folded)", async () => {
    const r = await box.run(["user", "add", `Root@${HOST.toUpperCase()}`, "--password-stdin", "--role", "admin"], "pw-root\n");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `created root@${HOST} (admin)`);
    await box.withStorage(async (s) => {
      assert.equal((await s.accounts.get(HOST, "root"))?.role, "admin");
      assert.equal(await s.accounts.countWithRole(HOST, "admin"), 1);
    });
  });

  test("add of an existing account fails and keeps the old password", async () => {
    const r = await box.run(["user", "add", `alice@${HOST}`, "--password-stdin"], "another one\n");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^hearth: alice@example\.com already exists$/m);
    await box.withStorage(async (s) => {
      const a = await s.accounts.get(HOST, "alice");
      assert.equal(await verifyPassword(a!.credentials, "correct horse battery"), true);
    });
  });

  test("add refuses bad JIDs, bare hosts, unknown hosts and unknown roles, creating nothing", async () => {
    const cases: [string[], RegExp][] = [
      [["user", "add", "@example.com", "--password-stdin"], /is not a valid JID/],
      [["user", "add", "a b@example.com", "--password-stdin"], /is not a valid JID/],
      [["user", "add", HOST, "--password-stdin"], /not an account address; expected user@host/],
      [["user", "add", `carol@${HOST}/phone`, "--password-stdin"], /not an account address/],
      [["user", "add", "carol@nowhere.test", "--password-stdin"], /nowhere\.test is not a host of this server \(hosts: example\.com, other\.example\)/],
      [["user", "add", `carol@${HOST}`, "--password-stdin", "--role", "wizard"], /--role must be one of admin, user/],
    ];
    const results = await Promise.all(cases.map(([args]) => box.run(args, "secret-pw\n")));
    cases.forEach(([args, message], i) => {
      const r = results[i]!;
      assert.equal(r.code, 1, args.join(" "));
      assert.match(r.stderr, message, args.join(" "));
      assert.equal(r.stdout, "");
    });
    await box.withStorage(async (s) => {
      assert.deepEqual((await s.accounts.list()).map((a) => a.username).sort(), ["alice", "root"]);
    });
  });

  test("without --password-stdin and without a terminal it refuses instead of waiting", async () => {
    const r = await box.run(["user", "add", `dave@${HOST}`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no terminal to ask for a password on; use --password-stdin/);
    const empty = await box.run(["user", "add", `dave@${HOST}`, "--password-stdin"], "");
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /no password on standard input/);
    await box.withStorage(async (s) => assert.equal(await s.accounts.exists(HOST, "dave"), false));
  });

  test("passwd sets a new password; unknown accounts are an error", async () => {
    const r = await box.run(["user", "passwd", `alice@${HOST}`, "--password-stdin"], "new password\n");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `password of alice@${HOST} changed`);
    await box.withStorage(async (s) => {
      const a = await s.accounts.get(HOST, "alice");
      assert.equal(await verifyPassword(a!.credentials, "new password"), true);
      assert.equal(await verifyPassword(a!.credentials, "correct horse battery"), false);
    });
    const missing = await box.run(["user", "passwd", `nobody@${HOST}`, "--password-stdin"], "x\n");
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nobody@example\.com does not exist/);
    const noTty = await box.run(["user", "passwd", `alice@${HOST}`]);
    assert.equal(noTty.code, 1);
    assert.match(noTty.stderr, /no terminal/);
  });

  test("list shows accounts with roles, filtered by --host; an unknown host is an error", async () => {
    const add = await box.run(["user", "add", `erin@${OTHER_HOST}`, "--password-stdin"], "pw-erin\n");
    assert.equal(add.code, 0, add.stderr);
    const all = await box.run(["user", "list"]);
    assert.equal(all.code, 0, all.stderr);
    const lines = all.stdout.trim().split("\n");
    assert.equal(lines.at(-1), "3 accounts");
    assert.ok(lines.some((l) => l.startsWith(`alice@${HOST}\tuser\t`)));
    assert.ok(lines.some((l) => l.startsWith(`root@${HOST}\tadmin\t`)));
    assert.ok(lines.some((l) => l.startsWith(`erin@${OTHER_HOST}\tuser\t`)));
    const other = await box.run(["user", "list", "--host", OTHER_HOST]);
    assert.deepEqual(other.stdout.trim().split("\n").map((l) => l.split("\t")[0]), [`erin@${OTHER_HOST}`, "1 account"]);
    const unknown = await box.run(["user", "list", "--host", "nowhere.test"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /nowhere\.test is not a host of this server/);
  });

  test("delete removes the account and what it owns; deleting again is an error", async () => {
    await box.withStorage(async (s) => {
      await s.rosters.putItem(HOST, "alice", { jid: `root@${HOST}`, subscription: "both", ask: false, approved: false, groups: [] });
    });
    const r = await box.run(["user", "delete", `alice@${HOST}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `deleted alice@${HOST}`);
    await box.withStorage(async (s) => {
      assert.equal(await s.accounts.exists(HOST, "alice"), false);
      assert.deepEqual((await s.rosters.getRoster(HOST, "alice")).items, []);
    });
    const again = await box.run(["user", "delete", `alice@${HOST}`]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /alice@example\.com does not exist/);
  });

  test("delete also revokes the account's contact-only and reset invites, but not its roster+ibr ones (§15.3)", async () => {
    const add = await box.run(["user", "add", `dora@${HOST}`, "--password-stdin"], "correct horse battery\n");
    assert.equal(add.code, 0, add.stderr);
    const ids = await box.withStorage(async (s) => {
      const model = new InvitesModel({ storage: s, config: box.config() });
      const cli = { by: "cli", isAdmin: true };
      const contact = await model.createContact({ host: HOST, creator: cli, inviter: "dora", allowRegistration: false });
      const ibr = await model.createContact({ host: HOST, creator: cli, inviter: "dora", allowRegistration: true });
      const reset = await model.createReset({ host: HOST, creator: cli, username: "dora" });
      return { contact: contact.token, ibr: ibr.token, reset: reset.token };
    });
    const r = await box.run(["user", "delete", `dora@${HOST}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `deleted dora@${HOST} and revoked 2 of its invites`);
    await box.withStorage(async (s) => {
      const model = new InvitesModel({ storage: s, config: box.config() });
      assert.equal(await model.validateContact(HOST, "dora", ids.contact), undefined);
      assert.equal(await model.validate(HOST, ids.reset), undefined);
      assert.ok(await model.validate(HOST, ids.ibr), "a roster+ibr invite still registers an account");
    });
  });

  test("a missing config file is a configuration error (exit 2)", async () => {
    const r = await runCli(["user", "list", "--config", `${box.dir}/missing.toml`]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read config file: file not found/);
  });
});
