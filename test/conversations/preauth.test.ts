// XEP-0445 / XEP-0401 pre-authenticated registration (invites.md §7, test-cases.md C, D, E, F).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import Database from "better-sqlite3";
import type { ServerEvents, UserRegistering } from "../../src/core/events.ts";
import { startTestServer, TEST_PASSWORD, type TestServer } from "../helpers/server.ts";
import type { RawClient } from "../helpers/raw-client.ts";
import {
  CLI,
  INVALID_TOKEN,
  INVITATION_ONLY,
  NEW_PASSWORD,
  PARS,
  accountExists,
  accountInvite,
  errorPattern,
  fresh,
  invitesOf,
  preauth,
  preauthXml,
  register,
  registerXml,
  stillValid,
  withServer,
} from "./support/invites.ts";

const FEATURES = ["http://jabber.org/features/iq-register", "urn:xmpp:invite", "urn:xmpp:ibr-token:0"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function registerFeatures(c: RawClient): string[] {
  return (c.features?.getChildren("register") ?? []).map((f) => f.ns ?? "");
}

/** A token that was valid once: used by a registration. */
async function usedToken(ts: TestServer, username: string): Promise<string> {
  const token = await accountInvite(ts);
  const c = await fresh(ts);
  await preauth(c, token);
  await register(c, username);
  return token;
}

describe("pre-authenticated registration", () => {
  let ts: TestServer;
  const logLines: string[] = [];
  before(async () => {
    ts = await startTestServer({
      configure: (c) => {
        c.logLevel = "debug";
      },
      logDestination: new Writable({
        write(chunk, _enc, cb) {
          logLines.push(chunk.toString());
          cb();
        },
      }),
    });
    await ts.createUser("romeo");
    await ts.createUser("alice");
    await ts.createUser("bob");
  });
  after(() => ts.stop());

  test("stream features: all three after STARTTLS, in Prosody's order; none before TLS, none after login (C16, C17)", async () => {
    const c = await fresh(ts);
    assert.deepEqual(registerFeatures(c), FEATURES);
    const plain = await ts.connect({ security: "plain" });
    assert.deepEqual(registerFeatures(plain), []);
    const authed = await fresh(ts);
    await authed.authenticate("romeo", TEST_PASSWORD);
    assert.deepEqual(registerFeatures(authed), []);
  });

  test("PREAUTH before TLS: modify/policy-violation, the token is not looked at", async () => {
    const token = await accountInvite(ts);
    const c = await ts.connect({ security: "plain" });
    c.send(preauthXml("p", token));
    await c.receives(errorPattern("p", "modify", "policy-violation", "Encryption is required"));
    assert.ok(await stillValid(ts, token));
  });

  test("PREAUTH(valid), then IBR: an account, and the invite is gone from the list (C18)", async () => {
    const created = await invitesOf(ts).createAccount({ host: ts.host, creator: CLI });
    const c = await fresh(ts);
    c.send(`<iq type='set' id='pa1' to='example.com'><preauth xmlns='${PARS}' token='${created.token}'/></iq>`);
    await c.receives(`<iq type='result' id='pa1'/>`);
    await register(c, "juliet");
    assert.ok(await accountExists(ts, "juliet"));
    const live = await invitesOf(ts).list(ts.host);
    assert.ok(!live.some((i) => i.id === created.invite.id));
    const login = await fresh(ts);
    await login.authenticate("juliet", NEW_PASSWORD, "SCRAM-SHA-1");
  });

  test("unknown, expired, used, revoked and missing tokens all get the same answer (C19, C20, D35)", async () => {
    const expired = await accountInvite(ts, { ttlSeconds: 0.2 });
    const used = await usedToken(ts, "used1");
    const revoked = await accountInvite(ts);
    assert.ok(await invitesOf(ts).revoke(ts.host, revoked));
    await sleep(300);
    const bad = [undefined, "AAAAAAAAAAAAAAAAAAAAAAAA", "not a token at all", expired, used, revoked];
    for (const [i, token] of bad.entries()) {
      const c = await fresh(ts);
      c.send(preauthXml(`b${i}`, token));
      await c.receives(errorPattern(`b${i}`, "cancel", "forbidden", INVALID_TOKEN));
      // And the stream holds no invite: registration is refused as uninvited.
      c.send(registerXml(`r${i}`, `nobody${i}`, NEW_PASSWORD));
      await c.receives(errorPattern(`r${i}`, "modify", "not-acceptable", INVITATION_ONLY));
    }
  });

  test("a contact-only invite does not register (only ibr=y ones do)", async () => {
    const contact = await invitesOf(ts).createContact({ host: ts.host, creator: CLI, inviter: "romeo", allowRegistration: false });
    const c = await fresh(ts);
    c.send(preauthXml("p", contact.token));
    await c.receives(errorPattern("p", "cancel", "forbidden", INVALID_TOKEN));
  });

  test("PREAUTH as a get: bad-request, and nothing changes (C21)", async () => {
    const token = await accountInvite(ts);
    const c = await fresh(ts);
    c.send(`<iq type='get' id='g'><preauth xmlns='${PARS}' token='${token}'/></iq>`);
    await c.receives(errorPattern("g", "modify", "bad-request"));
    c.send(registerXml("r", "getter", NEW_PASSWORD));
    await c.receives(errorPattern("r", "modify", "not-acceptable", INVITATION_ONLY));
    assert.ok(await stillValid(ts, token));
  });

  test("PREAUTH on an authenticated stream: service-unavailable, no effect (C22)", async () => {
    const token = await accountInvite(ts);
    const c = await ts.login("romeo");
    c.send(preauthXml("p", token));
    await c.receives(`<iq type='error' id='p'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`);
    assert.ok(await stillValid(ts, token));
  });

  test("expiry is checked at PREAUTH only (C25)", async () => {
    const token = await accountInvite(ts, { ttlSeconds: 0.5 });
    const c = await fresh(ts);
    await preauth(c, token);
    await sleep(700);
    assert.equal(await stillValid(ts, token), false, "expired by now");
    await register(c, "latecomer");
    assert.ok(await accountExists(ts, "latecomer"));
  });

  test("revoked after PREAUTH: cancel/forbidden, no account (C26)", async () => {
    const token = await accountInvite(ts);
    const c = await fresh(ts);
    await preauth(c, token);
    assert.ok(await invitesOf(ts).revoke(ts.host, token));
    c.send(registerXml("r", "revokee", NEW_PASSWORD));
    await c.receives(errorPattern("r", "cancel", "forbidden", "This invitation has already been used"));
    assert.equal(await accountExists(ts, "revokee"), false);
  });

  test("a failed PREAUTH leaves the earlier valid one in place; a later valid one replaces it (C27)", async () => {
    const a = await accountInvite(ts);
    const b = await accountInvite(ts, { username: "bound-b" });
    const c = await fresh(ts);
    await preauth(c, a, "a");
    c.send(preauthXml("x", "BBBBBBBBBBBBBBBBBBBBBBBB"));
    await c.receives(errorPattern("x", "cancel", "forbidden", INVALID_TOKEN));
    await register(c, "holder-a");
    assert.equal(await stillValid(ts, a), false, "A was used");
    // B replaces whatever the stream held: its username binding now applies.
    const d = await fresh(ts);
    await preauth(d, await accountInvite(ts), "first");
    await preauth(d, b, "second");
    d.send(registerXml("r", "someone-else", NEW_PASSWORD));
    await d.receives(errorPattern("r", "modify", "not-acceptable", "The chosen username is not valid with this invitation"));
    await register(d, "bound-b", NEW_PASSWORD, "r2");
  });

  test("failed registrations do not use the token (C29, C30, C31)", async () => {
    const token = await accountInvite(ts);
    const c = await fresh(ts);
    await preauth(c, token);
    c.send(registerXml("u", "x@y", NEW_PASSWORD));
    await c.receives(errorPattern("u", "modify", "not-acceptable", "The requested username is invalid."));
    c.send(registerXml("t", "romeo", NEW_PASSWORD));
    await c.receives(errorPattern("t", "cancel", "conflict", "The requested username already exists."));
    c.send(registerXml("p", "tybalt", "short"));
    await c.receives(errorPattern("p", "modify", "not-acceptable", "Password is too short (minimum 8 characters)"));
    assert.ok(await stillValid(ts, token));
    await register(c, "tybalt");
  });

  test("user-registered fires once, with the invite, via ibr (C32)", async () => {
    const created = await invitesOf(ts).createAccount({ host: ts.host, creator: CLI });
    const seen: ServerEvents["user-registered"][] = [];
    const off = ts.server.events.on("user-registered", (e) => void seen.push(e));
    try {
      const c = await fresh(ts);
      await preauth(c, created.token);
      await register(c, "eventful");
    } finally {
      off();
    }
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.username, "eventful");
    assert.equal(seen[0]!.via, "ibr");
    assert.equal(seen[0]!.invite?.id, created.invite.id);
  });

  test("username binding (E43, E44, E45, E46, E49)", async () => {
    const juliet = await accountInvite(ts, { username: "capulet" });
    const c = await fresh(ts);
    await preauth(c, juliet);
    c.send(registerXml("w", "montague", NEW_PASSWORD));
    await c.receives(errorPattern("w", "modify", "not-acceptable", "The chosen username is not valid with this invitation"));
    assert.ok(await stillValid(ts, juliet));

    // E45: while it lives, another invite cannot take the name.
    const other = await accountInvite(ts);
    const d = await fresh(ts);
    await preauth(d, other);
    d.send(registerXml("s", "capulet", NEW_PASSWORD));
    await d.receives(errorPattern("s", "cancel", "conflict"));

    // E44: a case variant is the same name.
    await register(c, "Capulet");
    assert.ok(await accountExists(ts, "capulet"));

    // E46: a reservation ends with its invite.
    const bound = await accountInvite(ts, { username: "laurence" });
    assert.ok(await invitesOf(ts).revoke(ts.host, bound));
    await register(d, "laurence", NEW_PASSWORD, "s2");

    // E49: an existing name with an account invite is a conflict, not a reset.
    const e = await fresh(ts);
    await preauth(e, await accountInvite(ts));
    e.send(registerXml("x", "alice", NEW_PASSWORD));
    await e.receives(errorPattern("x", "cancel", "conflict", "The requested username already exists."));
    const login = await fresh(ts);
    await login.authenticate("alice", TEST_PASSWORD);
  });

  test("roster+ibr invite: any free username (E48)", async () => {
    const inv = await invitesOf(ts).createContact({ host: ts.host, creator: CLI, inviter: "romeo", allowRegistration: true });
    const c = await fresh(ts);
    await preauth(c, inv.token);
    await register(c, "rosaline");
    assert.ok(await accountExists(ts, "rosaline"));
  });

  test("password reset (F50, F51, F52)", async () => {
    const reset = await invitesOf(ts).createReset({ host: ts.host, creator: CLI, username: "alice" });
    const events: string[] = [];
    const off = ts.server.events.on("user-password-reset", (e) => void events.push(`${e.username} ${e.via}`));
    try {
      const c = await fresh(ts);
      await preauth(c, reset.token);
      // F51: another existing account is not reset.
      c.send(registerXml("b", "bob", NEW_PASSWORD));
      await c.receives(errorPattern("b", "modify", "not-acceptable", "Incorrect username for password reset"));
      // F52: nor is a new one created.
      c.send(registerXml("m", "mallory", NEW_PASSWORD));
      await c.receives(errorPattern("m", "modify", "not-acceptable"));
      assert.equal(await accountExists(ts, "mallory"), false);
      // F50
      await register(c, "alice", NEW_PASSWORD, "a");
    } finally {
      off();
    }
    assert.deepEqual(events, ["alice ibr"]);
    assert.equal(await stillValid(ts, reset.token), false);
    const old = await fresh(ts);
    await assert.rejects(old.authenticate("alice", TEST_PASSWORD), /not-authorized/);
    const now = await fresh(ts);
    await now.authenticate("alice", NEW_PASSWORD);
    const bob = await fresh(ts);
    await bob.authenticate("bob", TEST_PASSWORD);
  });

  test("logs carry a hash prefix of a failed token, never the token", async () => {
    const token = await accountInvite(ts);
    const c = await fresh(ts);
    await preauth(c, token);
    await register(c, "logged");
    const guess = "ZZZZZZZZZZZZZZZZZZZZZZZZ";
    c.send(preauthXml("g", guess));
    await c.receives(errorPattern("g", "cancel", "forbidden", INVALID_TOKEN));
    const all = logLines.join("");
    assert.ok(all.includes("invite token refused"), "the failure is logged");
    assert.ok(!all.includes(token), "a valid token is never logged");
    assert.ok(!all.includes(guess), "a guessed token is never logged");
  });
});

describe("pre-authenticated registration: concurrency and faults", () => {
  test("one single-use token, many streams past PREAUTH, all registering at once: exactly one account (D34)", () =>
    withServer([], async (ts) => {
      const token = await accountInvite(ts);
      const streams = await Promise.all(Array.from({ length: 12 }, () => fresh(ts)));
      await Promise.all(streams.map((c, i) => preauth(c, token, `p${i}`)));
      for (const [i, c] of streams.entries()) c.send(registerXml(`r${i}`, `racer${i}`, NEW_PASSWORD));
      const answers = await Promise.all(streams.map((c) => c.next(10_000)));
      const ok = answers.filter((a) => a.attrs.type === "result");
      assert.equal(ok.length, 1, "one registration wins");
      for (const a of answers) {
        if (a.attrs.type === "result") continue;
        const err = a.getChild("error");
        assert.equal(err?.attrs.type, "cancel");
        assert.ok(err?.getChild("forbidden", "urn:ietf:params:xml:ns:xmpp-stanzas"), a.toString());
      }
      const accounts = await ts.server.storage.accounts.list(ts.host);
      assert.equal(accounts.length, 1);
    }));

  test("storage failure while creating the account: wait/internal-server-error, nothing kept, token still good (C33)", () =>
    withServer([], async (ts) => {
      const token = await accountInvite(ts);
      // Fault injection from outside the server: the database refuses new accounts.
      const db = new Database(ts.server.config.storage.path);
      db.exec(`CREATE TRIGGER no_accounts BEFORE INSERT ON accounts BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
      try {
        const c = await fresh(ts);
        await preauth(c, token);
        c.send(registerXml("r", "unlucky", NEW_PASSWORD));
        await c.receives(errorPattern("r", "wait", "internal-server-error", "Failed to write data to disk."));
        assert.equal(await accountExists(ts, "unlucky"), false);
        assert.ok(await stillValid(ts, token));
        db.exec("DROP TRIGGER no_accounts");
        await register(c, "unlucky", NEW_PASSWORD, "r2");
      } finally {
        db.close();
      }
    }));

  test("the user-registering veto sees the invite (registrar contract)", () =>
    withServer([], async (ts) => {
      const created = await invitesOf(ts).createAccount({ host: ts.host, creator: CLI, username: "seen" });
      const seen: UserRegistering[] = [];
      const off = ts.server.events.on("user-registering", (e) => void seen.push({ ...e }), 1000);
      try {
        const c = await fresh(ts);
        await preauth(c, created.token);
        await register(c, "seen");
      } finally {
        off();
      }
      assert.equal(seen.length, 1);
      const { invited, ...invite } = seen[0]!.invite!;
      assert.deepEqual(invite, { id: created.invite.id, boundUsername: "seen", resetUsername: undefined, inviter: undefined });
      assert.deepEqual({ ...invited, at: 0 }, { inviteId: created.invite.id, invitedBy: created.invite.createdBy, at: 0 });
      assert.equal(seen[0]!.via, "ibr");
    }));

  test("preauth_error_condition = item-not-found: XEP-0445's condition, same text, for every bad token (C19)", () =>
    withServer(
      [],
      async (ts) => {
        const used = await usedToken(ts, "first");
        for (const [i, token] of [used, "AAAAAAAAAAAAAAAAAAAAAAAA", undefined].entries()) {
          const c = await fresh(ts);
          c.send(preauthXml(`b${i}`, token));
          await c.receives(errorPattern(`b${i}`, "cancel", "item-not-found", INVALID_TOKEN));
        }
      },
      { configure: (c) => void (c.invites.preauthErrorCondition = "item-not-found") },
    ));

  test("open registration plus a roster+ibr token: mutual subscription (C24)", () =>
    withServer(
      ["romeo"],
      async (ts) => {
        const c = await fresh(ts);
        await register(c, "walkin");
        assert.ok(await accountExists(ts, "walkin"));
        const inv = await invitesOf(ts).createContact({ host: ts.host, creator: CLI, inviter: "romeo", allowRegistration: true });
        const d = await fresh(ts);
        await preauth(d, inv.token);
        await register(d, "friend");
        const a = await ts.server.storage.rosters.getItem(ts.host, "romeo", "friend@example.com");
        const b = await ts.server.storage.rosters.getItem(ts.host, "friend", "romeo@example.com");
        assert.equal(a?.subscription, "both");
        assert.equal(b?.subscription, "both");
      },
      {
        configure: (c) => {
          c.registration.allowRegistration = true;
          c.registration.inviteOnly = false;
        },
      },
    ));
});
