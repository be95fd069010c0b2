// The invites, accounts and groups modules in a running server: contacts and circles after registration with
// roster pushes (G61, G62, D36), events, account deletion, the IP limits' wiring, and no tokens in the logs (A9).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import type { ServerEvents } from "../../../src/core/events.ts";
import type { AccountsApi, RegistrationResult } from "../../../src/modules/accounts/api.ts";
import type { GroupsApi } from "../../../src/modules/groups/api.ts";
import type { InvitesApi } from "../../../src/modules/invites/api.ts";
import type { RawClient } from "../../helpers/raw-client.ts";
import { startTestServer, type TestServer, type TestServerOptions } from "../../helpers/server.ts";

const ROSTER = "jabber:iq:roster";
const ADMIN = { by: "cli", isAdmin: true };

interface Ctx {
  ts: TestServer;
  invites: InvitesApi;
  accounts: AccountsApi;
  groups: GroupsApi;
  register(username: string, token?: string, ip?: string): Promise<RegistrationResult>;
}

async function withServer(users: string[], fn: (c: Ctx) => Promise<void>, opts: TestServerOptions = {}): Promise<void> {
  const ts = await startTestServer(opts);
  try {
    for (const u of users) await ts.createUser(u);
    const invites = ts.server.modules.api<InvitesApi>("invites")!;
    const accounts = ts.server.modules.api<AccountsApi>("accounts")!;
    const groups = ts.server.modules.api<GroupsApi>("groups")!;
    const register = async (username: string, token?: string, ip = "192.0.2.1") => {
      let extra = {};
      if (token !== undefined) {
        const valid = await invites.validate(ts.host, token);
        assert.ok(valid, "the token should be valid");
        extra = invites.forRegistration(valid, { checkExpiry: false });
      }
      return accounts.register({ host: ts.host, username, password: "a good password", ip, via: "ibr", ...extra });
    };
    await fn({ ts, invites, accounts, groups, register });
  } finally {
    await ts.stop();
  }
}

/** Logged in, roster fetched (so the session gets pushes), not available (no presence traffic). */
async function online(ts: TestServer, user: string): Promise<RawClient> {
  const c = await ts.login(user);
  c.send(`<iq type='get' id='r1'><query xmlns='${ROSTER}'/></iq>`);
  await c.receives(`<iq type='result' id='r1'><query xmlns='${ROSTER}'><etc/></query></iq>`);
  return c;
}

function collect<K extends keyof ServerEvents>(ts: TestServer, name: K): ServerEvents[K][] {
  const out: ServerEvents[K][] = [];
  ts.server.events.on(name, (p) => void out.push(p));
  return out;
}

describe("contact invites that register (G61, G62)", () => {
  test("mutual subscription both, no names, and a roster push to the online inviter", async () => {
    await withServer(["romeo"], async ({ ts, invites, register }) => {
      const romeo = await online(ts, "romeo");
      const used = collect(ts, "invite-used");
      const deleted = collect(ts, "invite-deleted");
      const c = await invites.createContact({ host: ts.host, creator: { by: "romeo@example.com", isAdmin: false }, inviter: "romeo", allowRegistration: false });
      const ibr = await invites.createContact({ host: ts.host, creator: ADMIN, inviter: "romeo", allowRegistration: true });
      assert.equal(await invites.validate(ts.host, c.token), undefined);
      assert.equal((await register("juliet", ibr.token)).ok, true);
      await romeo.receives(
        `<iq type='set' id='*'><query xmlns='${ROSTER}' ver='*'><item jid='juliet@example.com' subscription='both'/></query></iq>`,
      );
      const romeoItem = await ts.server.storage.rosters.getItem(ts.host, "romeo", "juliet@example.com");
      const julietItem = await ts.server.storage.rosters.getItem(ts.host, "juliet", "romeo@example.com");
      assert.deepEqual(romeoItem, { jid: "juliet@example.com", subscription: "both", ask: false, approved: false, groups: [] });
      assert.deepEqual(julietItem, { jid: "romeo@example.com", subscription: "both", ask: false, approved: false, groups: [] });
      assert.equal(used.length, 1);
      assert.equal(used[0]!.username, "juliet");
      assert.equal(used[0]!.via, "ibr");
      assert.equal(used[0]!.invite.id, ibr.invite.id);
      assert.deepEqual(deleted, [{ host: ts.host, id: ibr.invite.id, reason: "consumed" }]);
    });
  });

  test("inviter deleted first: contact-only invites die with the account; a roster+ibr one registers without contacts", async () => {
    await withServer(["romeo"], async ({ ts, invites, accounts, register }) => {
      const only = await invites.createContact({ host: ts.host, creator: ADMIN, inviter: "romeo", allowRegistration: false });
      const ibr = await invites.createContact({ host: ts.host, creator: ADMIN, inviter: "romeo", allowRegistration: true });
      const deleted = collect(ts, "invite-deleted");
      assert.equal(await accounts.deleteAccount(ts.host, "romeo"), true);
      assert.equal(await invites.validateContact(ts.host, "romeo", only.token), undefined);
      assert.deepEqual(deleted, [{ host: ts.host, id: only.invite.id, reason: "revoked" }]);
      const r = await register("juliet", ibr.token);
      assert.equal(r.ok, true);
      assert.deepEqual((await ts.server.storage.rosters.getRoster(ts.host, "juliet")).items, []);
      assert.equal(await ts.server.storage.accounts.exists(ts.host, "romeo"), false);
    });
  });

  test("an inviter deleted and made anew since the invite is not befriended", async () => {
    await withServer(["romeo"], async ({ ts, invites, register }) => {
      const ibr = await invites.createContact({ host: ts.host, creator: ADMIN, inviter: "romeo", allowRegistration: true });
      await ts.server.storage.accounts.delete(ts.host, "romeo");
      await new Promise((r) => setTimeout(r, 5));
      await ts.createUser("romeo");
      assert.equal((await register("juliet", ibr.token)).ok, true);
      assert.deepEqual((await ts.server.storage.rosters.getRoster(ts.host, "romeo")).items, []);
    });
  });
});

describe("circles", () => {
  test("registering with a group invite puts the newcomer in online members' rosters, with a push", async () => {
    await withServer(["alice"], async ({ ts, invites, groups, register }) => {
      assert.equal(await groups.create(ts.host, "family", "Family"), true);
      assert.equal(await groups.addMember(ts.host, "family", "alice"), true);
      const alice = await online(ts, "alice");
      const c = await invites.createAccount({ host: ts.host, creator: ADMIN, groups: ["family"], reusable: true, ttlSeconds: 3600 });
      assert.equal((await register("bob", c.token)).ok, true);
      await alice.receives(
        `<iq type='set' id='*'><query xmlns='${ROSTER}' ver='*'><item jid='bob@example.com' subscription='both'><group>Family</group></item></query></iq>`,
      );
      alice.send(`<iq type='get' id='r2'><query xmlns='${ROSTER}'/></iq>`);
      await alice.receives(
        `<iq type='result' id='r2'><query xmlns='${ROSTER}'><item jid='bob@example.com' subscription='both'><group>Family</group></item></query></iq>`,
      );
      assert.deepEqual(await groups.members(ts.host, "family"), ["alice", "bob"]);
    });
  });

  test("the module API pushes additions and removals to online members", async () => {
    await withServer(["alice", "bob"], async ({ ts, groups }) => {
      await groups.create(ts.host, "team", "Team");
      await groups.addMember(ts.host, "team", "alice");
      const alice = await online(ts, "alice");
      assert.equal(await groups.addMember(ts.host, "team", "bob"), true);
      await alice.receives(
        `<iq type='set' id='*'><query xmlns='${ROSTER}' ver='*'><item jid='bob@example.com' subscription='both'><group>Team</group></item></query></iq>`,
      );
      assert.equal(await groups.removeMember(ts.host, "team", "bob"), true);
      await alice.receives(`<iq type='set' id='*'><query xmlns='${ROSTER}' ver='*'><item jid='bob@example.com' subscription='remove'/></query></iq>`);
      assert.deepEqual((await ts.server.storage.rosters.getRoster(ts.host, "bob")).items, []);
      assert.equal(await groups.delete(ts.host, "team"), true);
      assert.deepEqual(await groups.list(ts.host), []);
    });
  });
});

describe("password reset through the server", () => {
  test("the new password logs in, the old one no longer does; invite-used via reset", async () => {
    await withServer(["alice"], async ({ ts, invites, accounts }) => {
      const used = collect(ts, "invite-used");
      const c = await invites.createReset({ host: ts.host, creator: ADMIN, username: "alice" });
      const valid = await invites.validate(ts.host, c.token);
      assert.ok(valid);
      const r = await accounts.register({ host: ts.host, username: "alice", password: "a new password 1", ip: "192.0.2.1", via: "ibr", ...invites.forRegistration(valid, { checkExpiry: false }) });
      assert.deepEqual(r, { ok: true, username: "alice", host: ts.host, reset: true });
      await ts.login("alice", { password: "a new password 1" });
      await assert.rejects(ts.login("alice"));
      assert.equal(used.length, 1);
      assert.equal(used[0]!.via, "reset");
    });
  });
});

describe("IP limits in the server", () => {
  test("block list before the invite rules; throttle after them; invites do not bypass by default", async () => {
    await withServer(
      [],
      async ({ ts, invites, register }) => {
        const blocked = await register("juliet", undefined, "203.0.113.5");
        assert.equal(!blocked.ok && blocked.error.condition, "forbidden");
        const reusable = await invites.createAccount({ host: ts.host, creator: ADMIN, reusable: true });
        assert.equal((await register("a1", reusable.token, "198.51.100.1")).ok, true);
        // Refused by the invite rules: does not count against the address.
        const noInvite = await register("a2", undefined, "198.51.100.1");
        assert.equal(!noInvite.ok && noInvite.error.condition, "not-acceptable");
        assert.equal((await register("a2", reusable.token, "198.51.100.1")).ok, true);
        const third = await register("a3", reusable.token, "198.51.100.1");
        assert.equal(!third.ok && third.error.condition, "policy-violation");
        assert.equal(!third.ok && third.error.type, "wait");
        assert.equal((await register("a3", reusable.token, "198.51.100.2")).ok, true);
        assert.equal((await register("a4", reusable.token, "127.0.0.1")).ok, true);
        assert.equal((await register("a5", reusable.token, "127.0.0.1")).ok, true);
        assert.equal((await register("a6", reusable.token, "127.0.0.1")).ok, true);
      },
      {
        configure: (c) => {
          c.registration.throttleMax = 2;
          c.registration.throttlePeriodSeconds = 3600;
          c.registration.blocklist = ["203.0.113.0/24"];
        },
      },
    );
  });
});

describe("secrets (A9)", () => {
  test("no token in the logs at any level, nor in the database files", async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (b: Buffer) => chunks.push(b));
    const tokens: string[] = [];
    await withServer(
      ["romeo", "alice"],
      async ({ ts, invites, register }) => {
        const a = await invites.createAccount({ host: ts.host, creator: ADMIN, username: "juliet" });
        const b = await invites.createContact({ host: ts.host, creator: ADMIN, inviter: "romeo", allowRegistration: true });
        const r = await invites.createReset({ host: ts.host, creator: ADMIN, username: "alice" });
        const d = await invites.createAccount({ host: ts.host, creator: ADMIN });
        tokens.push(a.token, b.token, r.token, d.token);
        assert.equal((await register("juliet", a.token)).ok, true);
        assert.equal((await register("mercutio", b.token)).ok, true);
        assert.equal(await invites.revoke(ts.host, d.token), true);
        assert.equal(await invites.validate(ts.host, "no-such-token-at-all"), undefined);
        const { readFileSync, readdirSync } = await import("node:fs");
        const files = readdirSync(ts.dataDir).filter((f) => f.startsWith("hearth.sqlite"));
        assert.ok(files.length > 0);
        const bytes = Buffer.concat(files.map((f) => readFileSync(`${ts.dataDir}/${f}`)));
        for (const t of tokens) assert.equal(bytes.includes(t), false, "a token is in the database files");
        // The invites are in there, under their hashes: the files read are the right ones.
        assert.ok(bytes.includes(a.invite.tokenHash) && bytes.includes(d.invite.tokenHash));
      },
      {
        logDestination: out,
        configure: (c) => (c.logLevel = "trace"),
      },
    );
    const logs = Buffer.concat(chunks).toString("utf8");
    assert.match(logs, /invite created/);
    assert.match(logs, /invite used/);
    for (const t of tokens) assert.equal(logs.includes(t), false, "a token reached the log");
  });
});
