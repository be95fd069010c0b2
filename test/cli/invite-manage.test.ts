// `hearth invite list|show|revoke|tree|purge`, over invites made in-process with the model.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { deriveCredentials } from "../../src/auth/credentials.ts";
import { loadConfig } from "../../src/core/config/index.ts";
import { InvitesModel } from "../../src/modules/invites/model.ts";
import type { Storage } from "../../src/storage/types.ts";
import { HOST, OTHER_HOST, sandbox, type Sandbox } from "./helpers.ts";

const DAY = 86_400_000;

function field(stdout: string, label: string): string | undefined {
  const line = stdout.split("\n").find((l) => l.startsWith(`${label}:`));
  return line?.slice(label.length + 1).trim();
}

async function liveInvites(box: Sandbox, host = HOST) {
  return box.withStorage((s) => s.invites.listLive(host, Date.now()));
}

async function addAccount(s: Storage, host: string, username: string, role = "user"): Promise<void> {
  assert.equal(await s.accounts.create(host, username, await deriveCredentials("password"), role), true);
}

describe("hearth invite list, show, revoke, tree and purge", () => {
  let box: Sandbox;
  before(async () => {
    box = sandbox();
    const config = loadConfig(box.configPath);
    await box.withStorage(async (storage) => {
      await addAccount(storage, HOST, "alice");
      assert.equal(await storage.groups.create(HOST, "family", "Family"), true);
      const invites = new InvitesModel({ storage, config });
      const creator = { by: "cli", isAdmin: true };
      await invites.createAccount({ host: HOST, creator, roles: ["admin"], groups: ["family"], ttlSeconds: 2 * 86_400, note: "for mum" });
      await invites.createContact({ host: HOST, creator, inviter: "alice", allowRegistration: false });
      await invites.createAccount({ host: OTHER_HOST, creator, username: "bob" });
    });
  });
  after(() => box.remove());

  test("I71: list shows only live invites; revoke removes one; unknown tokens and ids are errors", async () => {
    const config = loadConfig(box.configPath);
    const expiredId = await box.withStorage(async (storage) => {
      const past = new InvitesModel({ storage, config, now: () => Date.now() - 3 * DAY });
      const created = await past.createAccount({ host: HOST, creator: { by: "cli", isAdmin: true }, ttlSeconds: 3600, note: "old" });
      return created.invite.id;
    });
    const live = await liveInvites(box);
    assert.ok(live.length >= 1);
    assert.ok(!live.some((i) => i.id === expiredId));

    const [r, json] = await Promise.all([box.run(["invite", "list"]), box.run(["invite", "list", "--json"])]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^id\s+kind\s+expires\s+uses\s+note$/);
    assert.equal(lines.at(-1), `${live.length} pending invite${live.length === 1 ? "" : "s"}`);
    const rows = lines.slice(1, -1);
    assert.deepEqual(rows.map((l) => l.split(/\s+/)[0]), live.map((i) => i.id));
    assert.ok(!r.stdout.includes(expiredId));
    const mum = rows.find((l) => l.endsWith("for mum"));
    assert.ok(mum, "the note is shown");
    assert.match(mum, /\saccount\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+0\/1\s+for mum$/);

    assert.deepEqual((JSON.parse(json.stdout) as { id: string }[]).map((i) => i.id), live.map((i) => i.id));

    const victim = live.find((i) => i.note === "for mum")!;
    const revoked = await box.run(["invite", "revoke", victim.id]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout.trim(), `revoked invite ${victim.id}`);
    const stored = await box.withStorage((s) => s.invites.get(HOST, victim.tokenHash));
    assert.ok(stored?.revokedAt !== undefined);

    const [after, shown, again, unknown, unknownShow, expired, expiredShown] = await Promise.all([
      box.run(["invite", "list"]),
      box.run(["invite", "show", victim.id]),
      box.run(["invite", "revoke", victim.id]),
      box.run(["invite", "revoke", "0123456789abcdef"]),
      box.run(["invite", "show", "no-such-token-at-all"]),
      box.run(["invite", "revoke", expiredId]),
      box.run(["invite", "show", expiredId]),
    ]);
    assert.ok(!after.stdout.includes(victim.id));
    assert.equal(after.stdout.trimEnd().split("\n").at(-1), `${live.length - 1} pending invite${live.length - 1 === 1 ? "" : "s"}`);
    assert.equal(shown.code, 0);
    assert.match(shown.stdout, /^Invitation revoked /m);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no longer usable/);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no invite '0123456789abcdef' on example\.com/);
    assert.equal(unknownShow.code, 1);
    assert.match(unknownShow.stderr, /no invite 'no-such-token-at-all'/);
    assert.equal(expired.code, 1);
    assert.equal(expiredShown.code, 0, expiredShown.stderr);
    assert.match(expiredShown.stdout, /^Invitation expired$/m);
    assert.equal(field(expiredShown.stdout, "Note"), "old");
  });

  test("list and show are per host", async () => {
    const live = await liveInvites(box, OTHER_HOST);
    const [other, wrongHost, rightHost] = await Promise.all([
      box.run(["invite", "list", "--host", OTHER_HOST]),
      box.run(["invite", "show", live[0]!.id]),
      box.run(["invite", "show", live[0]!.id, "--host", OTHER_HOST]),
    ]);
    assert.equal(other.code, 0, other.stderr);
    assert.equal(other.stdout.trimEnd().split("\n").at(-1), `${live.length} pending invite${live.length === 1 ? "" : "s"}`);
    assert.equal(wrongHost.code, 1);
    assert.equal(rightHost.code, 0, rightHost.stderr);
    assert.equal(rightHost.stdout.split("\n")[0], `Invitation to register on ${OTHER_HOST} with username 'bob'`);
  });

  test("tree shows who invited whom under cli, api and bootstrap roots", async () => {
    const at = Date.UTC(2025, 0, 2, 3, 4, 5);
    await box.withStorage(async (s) => {
      await addAccount(s, HOST, "carol");
      await addAccount(s, HOST, "dan");
      await addAccount(s, HOST, "root", "admin");
      await s.inviteTracking.record({ host: HOST, username: "root", inviteId: "1111111111111111", invitedBy: "bootstrap", at });
      await s.inviteTracking.record({ host: HOST, username: "carol", inviteId: "2222222222222222", invitedBy: "cli", at: at + 1000 });
      await s.inviteTracking.record({ host: HOST, username: "dan", inviteId: "3333333333333333", invitedBy: `carol@${HOST}`, at: at + 2000 });
    });
    const [r, empty] = await Promise.all([box.run(["invite", "tree"]), box.run(["invite", "tree", "--host", OTHER_HOST])]);
    assert.equal(empty.code, 0, empty.stderr);
    assert.equal(empty.stdout.trim(), `no one has joined ${OTHER_HOST} by invitation yet`);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    const idx = (who: string) => lines.findIndex((l) => l.trim().startsWith(who));
    assert.ok(lines.includes("cli"), r.stdout);
    assert.ok(lines.includes("bootstrap"), r.stdout);
    assert.equal(lines[idx("root@")], `  root@${HOST} (2025-01-02 03:04:05 UTC)`);
    assert.equal(idx("root@"), idx("bootstrap") + 1);
    assert.equal(lines[idx("carol@")], `  carol@${HOST} (2025-01-02 03:04:06 UTC)`);
    assert.equal(lines[idx("dan@")], `    dan@${HOST} (2025-01-02 03:04:07 UTC)`);
    assert.equal(idx("dan@"), idx("carol@") + 1);
    assert.ok(idx("carol@") > idx("cli"));
  });

  test("purge deletes expired invites", async () => {
    const config = loadConfig(box.configPath);
    const hash = await box.withStorage(async (storage) => {
      const past = new InvitesModel({ storage, config, now: () => Date.now() - 2 * DAY });
      return (await past.createAccount({ host: HOST, creator: { by: "cli", isAdmin: true }, ttlSeconds: 60 })).invite.tokenHash;
    });
    assert.ok(await box.withStorage((s) => s.invites.get(HOST, hash)));
    const r = await box.run(["invite", "purge"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.trim(), /^purged [1-9]\d* invites?$/);
    assert.equal(await box.withStorage((s) => s.invites.get(HOST, hash)), undefined);
  });
});
