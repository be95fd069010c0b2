// Registering with invites at model level (test-cases C, D, E, F, L): the registrar, the registration rules
// and the model over real SQLite, with a clock the test moves.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { verifyPassword } from "../../../src/auth/credentials.ts";
import type { RegistrationResult } from "../../../src/modules/accounts/api.ts";
import { ALREADY_USED, InvitesModel } from "../../../src/modules/invites/model.ts";
import { openSqliteStorage } from "../../../src/storage/sqlite.ts";
import { INVITATION_ONLY, RESERVED, WRONG_RESET_USERNAME, WRONG_USERNAME } from "../../../src/modules/invites/index.ts";
import { ADMIN, HOST, PASSWORD, T0, names, using, type World } from "./support.ts";


function refusedWith(r: RegistrationResult, type: string, condition: string, text?: string): void {
  assert.equal(r.ok, false, "expected the registration to be refused");
  if (r.ok) return;
  assert.equal(r.error.type, type);
  assert.equal(r.error.condition, condition);
  if (text !== undefined) assert.equal(r.error.text, text);
}

function ok(r: RegistrationResult): asserts r is Extract<RegistrationResult, { ok: true }> {
  assert.ok(r.ok, r.ok ? "" : `refused: ${r.error.condition} ${r.error.text ?? ""}`);
}

async function accounts(w: World): Promise<string[]> {
  return (await w.storage.accounts.list(HOST)).map((a) => a.username).sort();
}

describe("basic use", () => {
  test("an account invite registers once, then is gone everywhere; events after the commit", async () => {
    await using(async (w) => {
      const c = await w.model.createAccount({ host: HOST, creator: ADMIN });
      const r = await w.register("juliet", c.token);
      ok(r);
      assert.deepEqual(r, { ok: true, username: "juliet", host: HOST, reset: false });
      assert.deepEqual(await accounts(w), ["juliet"]);
      assert.equal((await w.storage.accounts.get(HOST, "juliet"))?.role, "user");
      assert.equal(await w.model.validate(HOST, c.token), undefined);
      assert.deepEqual(await w.model.list(HOST), []);
      const stored = await w.model.find(HOST, c.invite.id);
      assert.equal(stored?.usedBy, "juliet@example.com");
      assert.equal(stored?.uses, 1);
      assert.deepEqual(names(w), ["invite-created", "user-registering", "user-created", "user-registered"]);
      const registered = w.seen.find((s) => s.name === "user-registered")!.payload as { invite: { id: string } };
      assert.equal(registered.invite.id, c.invite.id);
      await assert.rejects(w.register("romeo", c.token), /token not valid/);
    });
  });

  test("invite-only: no invite, no account (C23); open registration needs allow_registration and not invite_only", async () => {
    await using(async (w) => {
      refusedWith(await w.register("juliet", undefined), "modify", "not-acceptable", INVITATION_ONLY);
      assert.deepEqual(await accounts(w), []);
    });
    await using(
      async (w) => refusedWith(await w.register("juliet", undefined), "modify", "not-acceptable", INVITATION_ONLY),
      (c) => (c.registration.allowRegistration = true),
    );
    await using(
      async (w) => {
        ok(await w.register("juliet", undefined));
        // L97: an account made without an invite has no tracking record.
        assert.equal(await w.storage.inviteTracking.get(HOST, "juliet"), undefined);
      },
      (c) => {
        c.registration.allowRegistration = true;
        c.registration.inviteOnly = false;
      },
    );
  });

  test("refused registrations do not use the token (C29–C31)", async () => {
    await using(async (w) => {
      await w.createUser("romeo");
      const c = await w.model.createAccount({ host: HOST, creator: ADMIN });
      refusedWith(await w.register("a b", c.token), "modify", "not-acceptable", "The requested username is invalid.");
      refusedWith(await w.register("x@y", c.token), "modify", "not-acceptable", "The requested username is invalid.");
      refusedWith(await w.register("", c.token), "modify", "not-acceptable", "The requested username is invalid.");
      refusedWith(await w.register("romeo", c.token), "cancel", "conflict", "The requested username already exists.");
      refusedWith(await w.register("juliet", c.token, { password: "short" }), "modify", "not-acceptable", "Password is too short (minimum 8 characters)");
      assert.equal((await w.model.find(HOST, c.invite.id))?.uses, 0);
      ok(await w.register("juliet", c.token));
    });
  });

  test("revoked after validation: forbidden, no account (C26)", async () => {
    await using(async (w) => {
      const c = await w.model.createAccount({ host: HOST, creator: ADMIN });
      const valid = await w.model.validate(HOST, c.token);
      assert.ok(valid);
      assert.equal(await w.model.revoke(HOST, c.invite.id.slice(0, 8)), true);
      assert.equal(await w.model.revoke(HOST, c.invite.id), false);
      const { invite, step } = w.model.forRegistration(valid, { checkExpiry: false });
      const r = await w.registrar.register({ host: HOST, username: "juliet", password: PASSWORD, ip: undefined, via: "ibr", invite, step });
      refusedWith(r, "cancel", "forbidden", ALREADY_USED);
      assert.deepEqual(await accounts(w), []);
    });
  });
});

describe("single use, reuse, concurrency (D)", () => {
  test("one single-use token, eight registrations at once: exactly one account (D34)", async () => {
    await using(async (w) => {
      const c = await w.model.createAccount({ host: HOST, creator: ADMIN });
      const valid = await w.model.validate(HOST, c.token);
      assert.ok(valid);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => {
          const { invite, step } = w.model.forRegistration(valid, { checkExpiry: false });
          return w.registrar.register({ host: HOST, username: `user${i}`, password: PASSWORD, ip: undefined, via: "ibr", invite, step });
        }),
      );
      assert.equal(results.filter((r) => r.ok).length, 1);
      for (const r of results.filter((r) => !r.ok)) refusedWith(r, "cancel", "forbidden", ALREADY_USED);
      assert.equal((await accounts(w)).length, 1);
      assert.equal((await w.storage.inviteTracking.list(HOST)).length, 1);
    });
  });

  test("reusable group invite: five registrations, all in the group, still listed (D36)", async () => {
    await using(async (w) => {
      await w.storage.groups.create(HOST, "g1", "Family");
      const c = await w.model.createAccount({ host: HOST, creator: ADMIN, groups: ["g1"], reusable: true, ttlSeconds: 3600 });
      for (let i = 0; i < 5; i++) ok(await w.register(`member${i}`, c.token));
      assert.deepEqual(await w.storage.groups.members(HOST, "g1"), ["member0", "member1", "member2", "member3", "member4"]);
      assert.deepEqual((await w.model.list(HOST)).map((r) => r.id), [c.invite.id]);
      assert.equal((await w.model.find(HOST, c.token))?.uses, 5);
      // Circles: each member has every other one, subscription both, under the group's name.
      const roster = await w.storage.rosters.getRoster(HOST, "member2");
      assert.deepEqual(
        roster.items.map((i) => [i.jid, i.subscription, i.groups, i.name]),
        ["member0", "member1", "member3", "member4"].map((m) => [`${m}@example.com`, "both", ["Family"], undefined]),
      );
    });
  });

  test("max_uses = 3, ten registrations at once: exactly three accounts, then the invite is gone (D37)", async () => {
    await using(async (w) => {
      const c = await w.model.createAccount({ host: HOST, creator: ADMIN, reusable: true, maxUses: 3 });
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => w.register(`user${i}`, c.token)));
      assert.equal(results.filter((r) => r.ok).length, 3);
      for (const r of results.filter((r) => !r.ok)) refusedWith(r, "cancel", "forbidden", ALREADY_USED);
      assert.equal((await accounts(w)).length, 3);
      const stored = await w.model.find(HOST, c.token);
      assert.equal(stored?.uses, 3);
      assert.ok(stored?.usedAt !== undefined);
      assert.equal(await w.model.validate(HOST, c.token), undefined);
      assert.deepEqual(await w.model.list(HOST), []);
    });
  });

  test("expiry: refused after it, except for a token validated earlier on the same stream (D38, C25)", async () => {
    await using(async (w) => {
      const c = await w.model.createAccount({ host: HOST, creator: ADMIN, reusable: true, ttlSeconds: 60 });
      const valid = await w.model.validate(HOST, c.token);
      assert.ok(valid);
      w.clock.advance(61_000);
      assert.equal(await w.model.validate(HOST, c.token), undefined);
      const web = w.model.forRegistration(valid, { checkExpiry: true });
      refusedWith(
        await w.registrar.register({ host: HOST, username: "late", password: PASSWORD, ip: undefined, via: "web", ...web }),
        "cancel",
        "forbidden",
      );
      const stream = w.model.forRegistration(valid, { checkExpiry: false });
      ok(await w.registrar.register({ host: HOST, username: "early", password: PASSWORD, ip: undefined, via: "ibr", ...stream }));
      assert.deepEqual(await accounts(w), ["early"]);
    });
  });

  test("a roster+ibr token used to register no longer works for a subscription (D39), and the other way round (D40)", async () => {
    await using(async (w) => {
      await w.createUser("romeo");
      const a = await w.model.createContact({ host: HOST, creator: ADMIN, inviter: "romeo", allowRegistration: true });
      ok(await w.register("juliet", a.token));
      assert.equal(await w.model.validateContact(HOST, "romeo", a.token), undefined);

      const b = await w.model.createContact({ host: HOST, creator: ADMIN, inviter: "romeo", allowRegistration: true });
      const valid = await w.model.validateContact(HOST, "romeo", b.token);
      assert.ok(valid);
      assert.equal(await w.model.consumeForSubscription(valid, "nurse@remote.example"), true);
      assert.equal(await w.model.consumeForSubscription(valid, "tybalt@remote.example"), false);
      assert.equal(await w.model.validate(HOST, b.token), undefined);
      assert.equal((await w.model.find(HOST, b.token))?.usedBy, "nurse@remote.example");
      assert.ok(names(w).includes("invite-used"));
    });
  });

  test("now == expires is expired everywhere (D42)", async () => {
    await using(async (w) => {
      const c = await w.model.createAccount({ host: HOST, creator: ADMIN, ttlSeconds: 10 });
      w.clock.set(T0 + 9_999);
      assert.ok(await w.model.validate(HOST, c.token));
      assert.equal((await w.model.list(HOST)).length, 1);
      w.clock.set(T0 + 10_000);
      assert.equal(await w.model.validate(HOST, c.token), undefined);
      assert.deepEqual(await w.model.list(HOST), []);
      assert.equal(await w.model.revoke(HOST, c.invite.id), false);
      assert.equal((await w.model.find(HOST, c.invite.id))?.id, c.invite.id, "still shown until purged");
    });
  });

  test("malformed tokens are answered like unknown ones, without a lookup", async () => {
    await using(async (w) => {
      for (const t of ["", "a b", "x".repeat(257), "tab\there", "ünï"]) {
        assert.equal(await w.model.validate(HOST, t), undefined);
        assert.equal(await w.model.validateContact(HOST, "romeo", t), undefined);
        assert.equal(await w.model.find(HOST, t), undefined);
      }
      // Over a closed storage a lookup would throw: malformed tokens never reach it.
      const closed = await openSqliteStorage(":memory:");
      await closed.close();
      const model = new InvitesModel({ storage: closed, config: w.config });
      assert.equal(await model.validate(HOST, "a b"), undefined);
      assert.equal(await model.find(HOST, ""), undefined);
      await assert.rejects(model.validate(HOST, "ab"));
    });
  });
});

describe("username binding and squatting (E)", () => {
  test("an invite for juliet registers juliet only; a refusal does not use it (E43, E44)", async () => {
    await using(async (w) => {
      const c = await w.model.createAccount({ host: HOST, creator: ADMIN, username: "juliet" });
      refusedWith(await w.register("romeo", c.token), "modify", "not-acceptable", WRONG_USERNAME);
      assert.equal((await w.model.find(HOST, c.token))?.uses, 0);
      const r = await w.register("Juliet", c.token);
      ok(r);
      assert.equal(r.username, "juliet");
      assert.deepEqual(await accounts(w), ["juliet"]);
    });
  });

  test("a live invite for juliet reserves the name (E45); once it expires or is revoked, it is free (E46)", async () => {
    await using(
      async (w) => {
        const bound = await w.model.createAccount({ host: HOST, creator: ADMIN, username: "juliet", ttlSeconds: 60 });
        const other = await w.model.createAccount({ host: HOST, creator: ADMIN, reusable: true });
        refusedWith(await w.register("juliet", other.token), "cancel", "conflict", RESERVED);
        refusedWith(await w.register("JULIET", undefined), "cancel", "conflict", RESERVED);
        w.clock.advance(60_000);
        ok(await w.register("juliet", other.token));

        const bound2 = await w.model.createAccount({ host: HOST, creator: ADMIN, username: "romeo" });
        refusedWith(await w.register("romeo", other.token), "cancel", "conflict", RESERVED);
        assert.equal(await w.model.revoke(HOST, bound2.token), true);
        ok(await w.register("romeo", undefined));
        assert.equal(bound.invite.boundUsername, "juliet");
      },
      (c) => {
        c.registration.allowRegistration = true;
        c.registration.inviteOnly = false;
      },
    );
  });

  test("a roster+ibr invite lets the invitee pick any free username (E48)", async () => {
    await using(async (w) => {
      await w.createUser("romeo");
      const c = await w.model.createContact({ host: HOST, creator: ADMIN, inviter: "romeo", allowRegistration: true });
      ok(await w.register("mercutio", c.token));
    });
  });

  test("an account invite for an existing username: conflict, never a password reset (E49)", async () => {
    await using(async (w) => {
      await w.createUser("alice");
      const before = (await w.storage.accounts.get(HOST, "alice"))!.credentials;
      const c = await w.model.createAccount({ host: HOST, creator: ADMIN });
      refusedWith(await w.register("alice", c.token, { password: "another password" }), "cancel", "conflict");
      assert.deepEqual((await w.storage.accounts.get(HOST, "alice"))!.credentials, before);
      assert.equal((await w.model.find(HOST, c.token))?.uses, 0);
    });
  });
});

describe("password reset invites (F)", () => {
  test("reset alice: new password works, old fails, user-password-reset fired, token used (F50, D41)", async () => {
    await using(async (w) => {
      await w.createUser("alice");
      const c = await w.model.createReset({ host: HOST, creator: ADMIN, username: "alice" });
      const r = await w.register("alice", c.token, { password: "a new password" });
      ok(r);
      assert.equal(r.reset, true);
      const creds = (await w.storage.accounts.get(HOST, "alice"))!.credentials;
      assert.equal(await verifyPassword(creds, "a new password"), true);
      assert.equal(await verifyPassword(creds, PASSWORD), false);
      assert.deepEqual(names(w).slice(-2), ["user-password-changed", "user-password-reset"]);
      assert.ok(!names(w).includes("user-registered"));
      assert.equal(await w.storage.inviteTracking.get(HOST, "alice"), undefined, "a reset is not an invitation");
      assert.equal(await w.model.validate(HOST, c.token), undefined);
      // D41: single use, even through a step obtained before the first use.
      const again = await w.model.createReset({ host: HOST, creator: ADMIN, username: "alice" });
      const valid = await w.model.validate(HOST, again.token);
      assert.ok(valid);
      ok(await w.registrar.register({ host: HOST, username: "alice", password: "third password", ip: undefined, via: "api", ...w.model.forRegistration(valid, { checkExpiry: true }) }));
      refusedWith(
        await w.registrar.register({ host: HOST, username: "alice", password: "fourth password", ip: undefined, via: "api", ...w.model.forRegistration(valid, { checkExpiry: true }) }),
        "cancel",
        "forbidden",
        ALREADY_USED,
      );
      assert.equal(await verifyPassword((await w.storage.accounts.get(HOST, "alice"))!.credentials, "third password"), true);
    });
  });

  test("reset for alice used as bob (F51) or a new name (F52): refused, nothing changes", async () => {
    await using(async (w) => {
      await w.createUser("alice");
      await w.createUser("bob");
      const bobBefore = (await w.storage.accounts.get(HOST, "bob"))!.credentials;
      const c = await w.model.createReset({ host: HOST, creator: ADMIN, username: "alice" });
      refusedWith(await w.register("bob", c.token, { password: "a new password" }), "modify", "not-acceptable", WRONG_RESET_USERNAME);
      refusedWith(await w.register("mallory", c.token, { password: "a new password" }), "modify", "not-acceptable", WRONG_RESET_USERNAME);
      assert.deepEqual((await w.storage.accounts.get(HOST, "bob"))!.credentials, bobBefore);
      assert.deepEqual(await accounts(w), ["alice", "bob"]);
      assert.equal((await w.model.find(HOST, c.token))?.uses, 0);
    });
  });

  test("reset of an account deleted after the invite was made: refused, not re-created", async () => {
    await using(async (w) => {
      await w.createUser("alice");
      const c = await w.model.createReset({ host: HOST, creator: ADMIN, username: "alice" });
      await w.registrar.deleteAccount(HOST, "alice");
      refusedWith(await w.register("alice", c.token), "modify", "not-acceptable", WRONG_RESET_USERNAME);
      assert.deepEqual(await accounts(w), []);
    });
  });
});

describe("roles, groups, tracking (L)", () => {
  test("roles: the first becomes the account's role, the rest secondary roles (L94)", async () => {
    await using(
      async (w) => {
        const c = await w.model.createAccount({ host: HOST, creator: ADMIN, roles: ["prosody:admin", "x:extra"] });
        ok(await w.register("boss", c.token));
        assert.equal((await w.storage.accounts.get(HOST, "boss"))?.role, "admin");
        assert.deepEqual(await w.storage.accounts.getSecondaryRoles(HOST, "boss"), ["x:extra"]);
      },
      (c) => (c.invites.extraRoles = ["x:extra"]),
    );
  });

  test("a group added by an invite-created handler to a contact invite is joined; createdBy is kept (L96)", async () => {
    await using(async (w) => {
      await w.createUser("romeo");
      await w.storage.groups.create(HOST, "default", "Friends");
      w.events.on("invite-created", (e) => {
        if (e.invite.type === "roster" && e.invite.groups.length === 0) e.invite.groups.push("default");
      });
      const c = await w.model.createContact({ host: HOST, creator: { by: "romeo@example.com", isAdmin: false }, inviter: "romeo", allowRegistration: false });
      assert.deepEqual(c.invite.groups, ["default"]);
      assert.equal(c.invite.createdBy, "romeo@example.com");
      const admin = await w.model.createContact({ host: HOST, creator: ADMIN, inviter: "romeo", allowRegistration: true });
      ok(await w.register("juliet", admin.token));
      assert.deepEqual(await w.storage.groups.members(HOST, "default"), ["juliet"]);
      assert.equal((await w.storage.inviteTracking.get(HOST, "juliet"))?.invitedBy, "admin@example.com");
    });
  });

  test("tracking records who invited each account (L97) and the tree shows it", async () => {
    await using(async (w) => {
      await w.createUser("admin", "admin");
      const a = await w.model.createAccount({ host: HOST, creator: { by: "cli", isAdmin: true } });
      ok(await w.register("alice", a.token));
      w.clock.advance(1000);
      const b = await w.model.createAccount({ host: HOST, creator: { by: "alice@example.com", isAdmin: true } });
      ok(await w.register("bob", b.token));
      w.clock.advance(1000);
      const c = await w.model.createAccount({ host: HOST, creator: ADMIN });
      ok(await w.register("carol", c.token));
      assert.deepEqual(await w.storage.inviteTracking.get(HOST, "bob"), {
        host: HOST,
        username: "bob",
        inviteId: b.invite.id,
        invitedBy: "alice@example.com",
        at: T0 + 1000,
      });
      const tree = await w.model.tree(HOST);
      assert.deepEqual(tree, [
        {
          who: "cli",
          at: undefined,
          inviteId: undefined,
          invited: [
            {
              who: "alice@example.com",
              at: T0,
              inviteId: a.invite.id,
              invited: [{ who: "bob@example.com", at: T0 + 1000, inviteId: b.invite.id, invited: [] }],
            },
          ],
        },
        {
          who: "admin@example.com",
          at: undefined,
          inviteId: undefined,
          invited: [{ who: "carol@example.com", at: T0 + 2000, inviteId: c.invite.id, invited: [] }],
        },
      ]);
    });
  });
});

describe("purge", () => {
  test("expired invites go at once, used and revoked ones after tombstone_days", async () => {
    await using(async (w) => {
      const expiring = await w.model.createAccount({ host: HOST, creator: ADMIN, ttlSeconds: 60 });
      const used = await w.model.createAccount({ host: HOST, creator: ADMIN });
      const revoked = await w.model.createAccount({ host: HOST, creator: ADMIN });
      const live = await w.model.createAccount({ host: HOST, creator: ADMIN, ttlSeconds: 90 * 86_400 });
      ok(await w.register("juliet", used.token));
      await w.model.revoke(HOST, revoked.token);
      w.clock.advance(61_000);
      assert.equal(await w.model.purge(), 1);
      assert.equal(await w.model.find(HOST, expiring.token), undefined);
      assert.ok(await w.model.find(HOST, used.token));
      w.clock.advance(30 * 86_400_000);
      assert.equal(await w.model.purge(), 2);
      assert.equal(await w.model.find(HOST, used.token), undefined);
      assert.equal(await w.model.find(HOST, revoked.token), undefined);
      assert.ok(await w.model.find(HOST, live.token));
    });
  });
});
