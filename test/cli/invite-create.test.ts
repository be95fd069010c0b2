// `hearth invite create|contact|reset`, run as a child process against a throwaway data directory.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { deriveCredentials } from "../../src/auth/credentials.ts";
import type { Storage } from "../../src/storage/types.ts";
import { HOST, OTHER_HOST, sandbox, type Sandbox } from "./helpers.ts";

const DAY = 86_400_000;

function tokenOf(uri: string): string {
  const m = /[?;]preauth=([^;]+)/.exec(uri);
  assert.ok(m, `no preauth in ${uri}`);
  return m[1]!;
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

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

describe("hearth invite create, contact and reset", () => {
  let box: Sandbox;
  before(async () => {
    box = sandbox();
    await box.withStorage(async (s) => {
      await addAccount(s, HOST, "alice");
      assert.equal(await s.groups.create(HOST, "family", "Family"), true);
    });
  });
  after(() => box.remove());

  test("I69: create with role, group, ttl and note, then show it by token and by id", async () => {
    const before = Date.now();
    const r = await box.run(["invite", "create", "--role", "prosody:admin", "--group", "family", "--ttl", "2d", "--note", "for mum"]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 1, "no landing page without invites.page_url");
    assert.match(lines[0]!, /^xmpp:example\.com\?register;preauth=[A-Za-z0-9_-]{24}$/);
    const token = tokenOf(lines[0]!);
    assert.ok(!r.stderr.includes(token), "the token is printed once, on stdout");

    const [inv, ...others] = await liveInvites(box);
    assert.equal(others.length, 0);
    assert.ok(inv);
    assert.equal(inv.tokenHash, sha256(token));
    assert.equal(inv.type, "register");
    assert.deepEqual(inv.roles, ["admin"]);
    assert.deepEqual(inv.groups, ["family"]);
    assert.equal(inv.note, "for mum");
    assert.equal(inv.createdBy, "cli");
    assert.equal(inv.reusable, false);
    assert.ok(Math.abs(inv.expires - (before + 2 * DAY)) < 60_000, "expires in two days");

    const [byToken, byId, byPrefix] = await Promise.all([
      box.run(["invite", "show", token]),
      box.run(["invite", "show", inv.id]),
      box.run(["invite", "show", inv.id.slice(0, 8), "--json"]),
    ]);
    assert.equal(byToken.code, 0, byToken.stderr);
    const out = byToken.stdout;
    assert.equal(out.split("\n")[0], `Invitation to register on ${HOST}`);
    assert.equal(field(out, "Id"), inv.id);
    assert.equal(field(out, "Creator"), "cli");
    assert.equal(field(out, "Roles"), "admin");
    assert.equal(field(out, "Groups"), "family");
    assert.equal(field(out, "Note"), "for mum");
    assert.equal(field(out, "Expires"), `${new Date(inv.expires).toISOString().slice(0, 19).replace("T", " ")} UTC`);
    assert.equal(field(out, "XMPP URI"), lines[0]);
    assert.match(out, /^Invitation valid$/m);

    assert.equal(byId.code, 0, byId.stderr);
    assert.equal(field(byId.stdout, "Roles"), "admin");
    assert.equal(field(byId.stdout, "XMPP URI"), undefined, "the URI needs the token, which is not stored");
    assert.equal(byPrefix.code, 0, byPrefix.stderr);
    const json = JSON.parse(byPrefix.stdout) as Record<string, unknown>;
    assert.equal(json.id, inv.id);
    assert.equal(json.kind, "account");
    assert.deepEqual(json.groups, ["family"]);
  });

  test("create --json prints the whole invite; --username, --reusable, --max-uses and --host are honoured", async () => {
    const r = await box.run(["invite", "create", "--host", OTHER_HOST, "--username", "Bob", "--max-uses", "3", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(typeof j.token, "string");
    assert.equal(j.uri, `xmpp:bob@${OTHER_HOST}?register;preauth=${j.token as string}`);
    assert.equal(j.landing_url, null);
    assert.equal(j.kind, "account");
    assert.equal(j.reusable, true, "--max-uses implies --reusable");
    assert.equal(j.max_uses, 3);
    assert.equal(j.note, null);
    assert.ok(Array.isArray(j.roles) && Array.isArray(j.groups));
    assert.equal(new Date(j.expires as string).toISOString(), j.expires);
    const stored = await box.withStorage((s) => s.invites.get(OTHER_HOST, sha256(j.token as string)));
    assert.ok(stored);
    assert.equal(stored.id, j.id);
    assert.equal(stored.boundUsername, "bob");
    assert.equal(stored.maxUses, 3);
    assert.equal(stored.host, OTHER_HOST);

    const reusable = await box.run(["invite", "create", "--reusable", "--json"]);
    assert.equal(reusable.code, 0, reusable.stderr);
    const rj = JSON.parse(reusable.stdout) as Record<string, unknown>;
    assert.equal(rj.reusable, true);
    assert.equal(rj.max_uses, null);
    const shown = await box.run(["invite", "show", rj.token as string]);
    assert.equal(field(shown.stdout, "Uses"), "0/unlimited");
    assert.equal((await box.run(["invite", "revoke", rj.id as string])).code, 0);
  });

  test("I70: a bad duration or a bad flag creates nothing and names the problem", async () => {
    const before = await liveInvites(box);
    const cases: [string[], RegExp][] = [
      [["invite", "create", "--ttl", "banana"], /Unable to parse duration: banana/],
      [["invite", "create", "--ttl", "0"], /--ttl/],
      [["invite", "create", "--max-uses", "two"], /--max-uses: must be a whole number/],
      [["invite", "create", "--role", "wizard"], /--role: /],
      [["invite", "create", "--group", "nosuch"], /--group: /],
      [["invite", "create", "--username", "a b"], /--username: /],
      [["invite", "create", "--host", "nowhere.test"], /nowhere\.test is not a host of this server/],
      [["invite", "reset", `alice@${HOST}`, "--ttl", "banana"], /Unable to parse duration: banana/],
      [["invite", "contact", `alice@${HOST}`, "--ttl", "3 fortnights"], /Unable to parse duration: 3 fortnights/],
    ];
    const results = await Promise.all(cases.map(([args]) => box.run(args)));
    cases.forEach(([args, message], i) => {
      const r = results[i]!;
      assert.notEqual(r.code, 0, args.join(" "));
      assert.match(r.stderr, message, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stdout, "", args.join(" "));
    });
    assert.deepEqual((await liveInvites(box)).map((i) => i.id), before.map((i) => i.id));
  });

  test("I72: reset needs an account JID; it makes a password-reset invite for an existing account", async () => {
    const before = Date.now();
    const [bare, unknown, r] = await Promise.all([
      box.run(["invite", "reset", HOST]),
      box.run(["invite", "reset", `nobody@${HOST}`]),
      box.run(["invite", "reset", `alice@${HOST}`, "--ttl", "12h"]),
    ]);
    assert.equal(bare.code, 1);
    assert.match(bare.stderr, /Supply the JID of the account you want to generate a password reset for/);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No such account: nobody@example\.com/);
    assert.equal(r.code, 0, r.stderr);
    const uri = r.stdout.trim().split("\n")[0]!;
    assert.match(uri, /^xmpp:alice@example\.com\?register;preauth=/);
    const token = tokenOf(uri);
    const stored = await box.withStorage((s) => s.invites.get(HOST, sha256(token)));
    assert.equal(stored?.resetUsername, "alice");
    assert.ok(Math.abs(stored!.expires - (before + DAY / 2)) < 60_000);
    const shown = await box.run(["invite", "show", token]);
    assert.equal(shown.stdout.split("\n")[0], `Password reset for alice@${HOST}`);
    assert.equal(field(shown.stdout, "Kind"), "password-reset");
    assert.equal((await box.run(["invite", "revoke", token])).code, 0);
  });

  test("contact invites: with and without --ibr; the inviter must be an account address", async () => {
    const [bare, ibr, plain] = await Promise.all([
      box.run(["invite", "contact", HOST]),
      box.run(["invite", "contact", `alice@${HOST}`, "--ibr", "--json"]),
      box.run(["invite", "contact", `alice@${HOST}`]),
    ]);
    assert.equal(bare.code, 1);
    assert.match(bare.stderr, /Supply the JID of the account/);

    assert.equal(ibr.code, 0, ibr.stderr);
    const j = JSON.parse(ibr.stdout) as Record<string, unknown>;
    assert.equal(j.kind, "contact");
    assert.equal(j.ibr, true);
    assert.equal(j.uri, `xmpp:alice@${HOST}?roster;preauth=${j.token as string};ibr=y`);
    assert.equal(plain.code, 0, plain.stderr);
    const uri = plain.stdout.split("\n")[0]!;
    assert.equal(uri, `xmpp:alice@${HOST}?roster;preauth=${tokenOf(uri)}`);
    const [shown, shownPlain] = await Promise.all([box.run(["invite", "show", j.token as string]), box.run(["invite", "show", tokenOf(uri)])]);
    assert.equal(shown.stdout.split("\n")[0], `Invitation to register and become a contact of alice@${HOST}`);
    assert.equal(shownPlain.stdout.split("\n")[0], `Invitation to become a contact of alice@${HOST}`);
    const stored = await box.withStorage((s) => s.invites.get(HOST, sha256(tokenOf(uri))));
    assert.equal(stored?.inviter, "alice");
    assert.equal(stored?.allowRegistration, false);

    const revoked = await Promise.all([j.token as string, tokenOf(uri)].map((t) => box.run(["invite", "revoke", t])));
    assert.deepEqual(revoked.map((x) => x.code), [0, 0]);
  });

});

describe("hearth invite with a landing page", () => {
  let box: Sandbox;
  before(() => {
    box = sandbox({ pageUrl: "https://{host}/invite/{token}/" });
  });
  after(() => box.remove());

  test("create prints the URI, then the landing page", async () => {
    const r = await box.run(["invite", "create"]);
    assert.equal(r.code, 0, r.stderr);
    const [uri, page, ...rest] = r.stdout.trimEnd().split("\n");
    assert.equal(rest.length, 0);
    const token = tokenOf(uri!);
    assert.equal(page, `https://${HOST}/invite/${token}/`);
    const shown = await box.run(["invite", "show", token]);
    assert.equal(field(shown.stdout, "Web link"), page);
  });
});
