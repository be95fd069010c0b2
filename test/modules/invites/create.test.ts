// Invite creation (invites.md §2–6, test-cases A and L95): records, tokens, URIs and every refusal.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseConfig } from "../../../src/core/config/index.ts";
import { InviteError, type InviteErrorCode } from "../../../src/modules/invites/api.ts";
import { hashToken } from "../../../src/modules/invites/tokens.ts";
import { ADMIN, CLI, HOST, T0, using } from "./support.ts";

const WEEK = 604_800;
const DAY = 86_400;

async function refused(p: Promise<unknown>, code: InviteErrorCode): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InviteError, `expected an InviteError, got ${String(e)}`);
    assert.equal(e.code, code);
    return true;
  });
}


describe("tokens (A1, A2)", () => {
  test("10 000 account invites: 24 base64url characters, all distinct, 18 bytes each, bits balanced", async () => {
    await using(async (w) => {
      const tokens = new Set<string>();
      const ones = new Array<number>(144).fill(0);
      for (let i = 0; i < 10_000; i++) {
        const { token, invite } = await w.model.createAccount({ host: HOST, creator: ADMIN });
        assert.match(token, /^[A-Za-z0-9_-]{24}$/);
        assert.equal(invite.tokenHash, hashToken(token));
        assert.equal(invite.id, invite.tokenHash.slice(0, 16));
        const bytes = Buffer.from(token, "base64url");
        assert.equal(bytes.length, 18);
        for (let bit = 0; bit < 144; bit++) if ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1) ones[bit]!++;
        tokens.add(token);
      }
      assert.equal(tokens.size, 10_000);
      // Each bit position is Binomial(10000, 1/2): sd 50. A constant prefix would sit at 0 or 10000.
      for (const [bit, n] of ones.entries()) assert.ok(Math.abs(n - 5000) < 300, `bit ${bit} set ${n} times in 10000`);
      const chi = ones.reduce((s, n) => s + ((n - 5000) ** 2) / 2500, 0);
      assert.ok(chi < 250, `chi-square over 144 bit positions: ${chi}`);
    });
  });
});

describe("account invites (A3, A4, A7)", () => {
  test("any username: type register, host-wide URI, default lifetime of a week", async () => {
    await using(async (w) => {
      const c = await w.model.createAccount({ host: HOST, creator: ADMIN });
      assert.equal(c.invite.type, "register");
      assert.equal(c.invite.boundUsername, undefined);
      assert.equal(c.invite.allowRegistration, true);
      assert.equal(c.invite.reusable, false);
      assert.equal(c.invite.createdAt, T0);
      assert.equal(c.invite.expires, T0 + WEEK * 1000);
      assert.equal(c.invite.createdBy, "admin@example.com");
      assert.equal(c.kind, "account");
      assert.equal(c.uri, `xmpp:example.com?register;preauth=${c.token}`);
      assert.equal(c.landingPage, undefined);
      assert.deepEqual(await w.storage.invites.get(HOST, c.invite.tokenHash), c.invite);
    });
  });

  test("bound to juliet: URI names juliet; the username is prepared", async () => {
    await using(async (w) => {
      const c = await w.model.createAccount({ host: HOST, creator: ADMIN, username: "Juliet" });
      assert.equal(c.invite.boundUsername, "juliet");
      assert.equal(c.uri, `xmpp:juliet@example.com?register;preauth=${c.token}`);
    });
  });

  test("group invites: reusable when asked, with the given lifetime; otherwise single-use with the default", async () => {
    await using(async (w) => {
      await w.storage.groups.create(HOST, "g1", "Family");
      const r = await w.model.createAccount({ host: HOST, creator: ADMIN, groups: ["g1"], reusable: true, ttlSeconds: 3600 });
      assert.equal(r.invite.reusable, true);
      assert.deepEqual(r.invite.groups, ["g1"]);
      assert.equal(r.invite.expires, T0 + 3600 * 1000);
      const s = await w.model.createAccount({ host: HOST, creator: ADMIN, groups: ["g1", "g1"] });
      assert.equal(s.invite.reusable, false);
      assert.deepEqual(s.invite.groups, ["g1"]);
      assert.equal(s.invite.expires, T0 + WEEK * 1000);
      assert.equal(s.uri, `xmpp:example.com?register;preauth=${s.token}`);
    });
  });

  test("refusals: non-admin, bad username, taken or reserved username, ttl, max uses, groups", async () => {
    await using(async (w) => {
      await w.createUser("romeo");
      await refused(w.model.createAccount({ host: HOST, creator: { by: "romeo@example.com", isAdmin: false } }), "not-permitted");
      await refused(w.model.createAccount({ host: HOST, creator: ADMIN, username: "a b" }), "bad-username");
      await refused(w.model.createAccount({ host: HOST, creator: ADMIN, username: "x@y" }), "bad-username");
      await refused(w.model.createAccount({ host: HOST, creator: ADMIN, username: "" }), "bad-username");
      await refused(w.model.createAccount({ host: HOST, creator: ADMIN, username: "Romeo" }), "bad-username");
      await w.model.createAccount({ host: HOST, creator: ADMIN, username: "juliet" });
      await refused(w.model.createAccount({ host: HOST, creator: ADMIN, username: "juliet" }), "bad-username");
      await refused(w.model.createAccount({ host: HOST, creator: ADMIN, ttlSeconds: 0 }), "bad-ttl");
      await refused(w.model.createAccount({ host: HOST, creator: ADMIN, ttlSeconds: -5 }), "bad-ttl");
      await refused(w.model.createAccount({ host: HOST, creator: ADMIN, ttlSeconds: Number.NaN }), "bad-ttl");
      await refused(w.model.createAccount({ host: HOST, creator: ADMIN, maxUses: 3 }), "bad-max-uses");
      await refused(w.model.createAccount({ host: HOST, creator: ADMIN, reusable: true, maxUses: 0 }), "bad-max-uses");
      await refused(w.model.createAccount({ host: HOST, creator: ADMIN, reusable: true, maxUses: 1.5 }), "bad-max-uses");
      await refused(w.model.createAccount({ host: HOST, creator: ADMIN, groups: ["nope"] }), "no-such-group");
      assert.equal((await w.model.list(HOST)).length, 1);
    });
  });

  test("admins may give any lifetime; the CLI too", async () => {
    await using(async (w) => {
      const c = await w.model.createAccount({ host: HOST, creator: CLI, ttlSeconds: 365 * DAY });
      assert.equal(c.invite.expires, T0 + 365 * DAY * 1000);
      assert.equal(c.invite.createdBy, "cli");
    });
  });
});

describe("roles (L95)", () => {
  test("aliases become our names, extra roles are accepted, duplicates dropped", async () => {
    await using(
      async (w) => {
        const c = await w.model.createAccount({ host: HOST, creator: ADMIN, roles: ["prosody:admin", "x:extra", "admin", "prosody:guest"] });
        assert.deepEqual(c.invite.roles, ["admin", "x:extra", "restricted"]);
        const d = await w.model.createAccount({ host: HOST, creator: ADMIN, roles: ["prosody:registered"] });
        assert.deepEqual(d.invite.roles, ["user"]);
      },
      (c) => (c.invites.extraRoles = ["x:extra"]),
    );
  });

  test("an unknown role is refused; operator only from an operator or the CLI", async () => {
    await using(async (w) => {
      await refused(w.model.createAccount({ host: HOST, creator: ADMIN, roles: ["x:extra"] }), "bad-role");
      await refused(w.model.createAccount({ host: HOST, creator: ADMIN, roles: ["user", "wizard"] }), "bad-role");
      await w.createUser("admin", "admin");
      await refused(w.model.createAccount({ host: HOST, creator: ADMIN, roles: ["prosody:operator"] }), "role-not-permitted");
      await refused(w.model.createAccount({ host: HOST, creator: { by: "api:k1", isAdmin: true }, roles: ["operator"] }), "role-not-permitted");
      await w.createUser("op", "operator");
      const byOperator = await w.model.createAccount({ host: HOST, creator: { by: "op@example.com", isAdmin: true }, roles: ["prosody:operator"] });
      assert.deepEqual(byOperator.invite.roles, ["operator"]);
      const byCli = await w.model.createAccount({ host: HOST, creator: CLI, roles: ["operator"] });
      assert.deepEqual(byCli.invite.roles, ["operator"]);
      assert.equal((await w.model.list(HOST)).length, 2);
    });
  });
});

describe("contact invites (A5)", () => {
  test("with registration: ;ibr=y; without: no ibr, not valid for registration, listed among romeo's invites", async () => {
    await using(async (w) => {
      await w.createUser("romeo");
      const romeo = { by: "romeo@example.com", isAdmin: false };
      const withIbr = await w.model.createContact({ host: HOST, creator: ADMIN, inviter: "romeo", allowRegistration: true });
      assert.equal(withIbr.uri, `xmpp:romeo@example.com?roster;preauth=${withIbr.token};ibr=y`);
      assert.equal(withIbr.kind, "account-and-contact");
      assert.equal(withIbr.invite.type, "roster");
      assert.equal(withIbr.invite.inviter, "romeo");
      w.clock.advance(1000);
      const only = await w.model.createContact({ host: HOST, creator: romeo, inviter: "romeo", allowRegistration: false });
      assert.equal(only.uri, `xmpp:romeo@example.com?roster;preauth=${only.token}`);
      assert.equal(only.kind, "contact-only");
      assert.equal(await w.model.validate(HOST, only.token), undefined);
      assert.ok(await w.model.validate(HOST, withIbr.token));
      assert.ok(await w.model.validateContact(HOST, "romeo", only.token));
      assert.equal(await w.model.validateContact(HOST, "juliet", only.token), undefined);
      const mine = await w.model.list(HOST, { inviter: "romeo" });
      assert.deepEqual(mine.map((r) => r.id), [withIbr.invite.id, only.invite.id]);
    });
  });

  test("permissions: users only for themselves, only when enabled, ibr only with allow_user_invites, never when restricted", async () => {
    const romeo = { by: "romeo@example.com", isAdmin: false };
    await using(async (w) => {
      await w.createUser("romeo");
      await w.createUser("juliet");
      await refused(w.model.createContact({ host: HOST, creator: romeo, inviter: "juliet", allowRegistration: false }), "not-permitted");
      await refused(w.model.createContact({ host: HOST, creator: romeo, inviter: "romeo", allowRegistration: true }), "not-permitted");
      await refused(w.model.createContact({ host: HOST, creator: romeo, inviter: "romeo", allowRegistration: false, reusable: true }), "not-permitted");
      await refused(w.model.createContact({ host: HOST, creator: ADMIN, inviter: "nobody", allowRegistration: false }), "no-such-account");
      await refused(w.model.createContact({ host: HOST, creator: ADMIN, inviter: "a b", allowRegistration: false }), "bad-username");
      const admin = await w.model.createContact({ host: HOST, creator: ADMIN, inviter: "juliet", allowRegistration: true, reusable: true, maxUses: 2 });
      assert.equal(admin.invite.maxUses, 2);
    });
    await using(
      async (w) => {
        await w.createUser("romeo");
        await w.createUser("guest", "restricted");
        const c = await w.model.createContact({ host: HOST, creator: romeo, inviter: "romeo", allowRegistration: true });
        assert.equal(c.invite.allowRegistration, true);
        const guest = { by: "guest@example.com", isAdmin: false };
        await refused(w.model.createContact({ host: HOST, creator: guest, inviter: "guest", allowRegistration: true }), "not-permitted");
        assert.ok(await w.model.createContact({ host: HOST, creator: guest, inviter: "guest", allowRegistration: false }));
      },
      (c) => (c.invites.allowUserInvites = true),
    );
    await using(
      async (w) => {
        await w.createUser("romeo");
        await refused(w.model.createContact({ host: HOST, creator: romeo, inviter: "romeo", allowRegistration: false }), "not-permitted");
        assert.ok(await w.model.createContact({ host: HOST, creator: ADMIN, inviter: "romeo", allowRegistration: false }));
      },
      (c) => (c.invites.allowContactInvites = false),
    );
  });

  test("non-admin lifetime is capped by max_user_ttl; live invites by max_live_per_user", async () => {
    await using(
      async (w) => {
        await w.createUser("romeo");
        const romeo = { by: "romeo@example.com", isAdmin: false };
        const mk = (ttlSeconds?: number) => w.model.createContact({ host: HOST, creator: romeo, inviter: "romeo", allowRegistration: false, ttlSeconds });
        await refused(mk(3601), "bad-ttl");
        const first = await mk(3600);
        assert.equal(first.invite.expires, T0 + 3600 * 1000);
        // The default week is more than this user may have: it gets the most it may have.
        assert.equal((await mk()).invite.expires, T0 + 3600 * 1000);
        await refused(mk(60), "quota-exceeded");
        // Admins are exempt, and expired invites no longer count.
        await w.model.createContact({ host: HOST, creator: ADMIN, inviter: "romeo", allowRegistration: false });
        w.clock.advance(3600 * 1000);
        await mk(60);
      },
      (c) => {
        c.invites.maxUserTtlSeconds = 3600;
        c.invites.maxLivePerUser = 2;
      },
    );
  });
});

describe("password reset invites (A6, A8, F54)", () => {
  test("one day, bound to the account, kind password-reset; a second one revokes the first", async () => {
    await using(async (w) => {
      await w.createUser("alice");
      const first = await w.model.createReset({ host: HOST, creator: ADMIN, username: "alice" });
      assert.equal(first.invite.expires - first.invite.createdAt, DAY * 1000);
      assert.equal(first.invite.resetUsername, "alice");
      assert.equal(first.invite.boundUsername, "alice");
      assert.equal(first.invite.reusable, false);
      assert.equal(first.kind, "password-reset");
      assert.equal(first.uri, `xmpp:alice@example.com?register;preauth=${first.token}`);
      const second = await w.model.createReset({ host: HOST, creator: ADMIN, username: "alice" });
      assert.equal(await w.model.validate(HOST, first.token), undefined);
      assert.ok(await w.model.validate(HOST, second.token));
      assert.deepEqual((await w.model.list(HOST)).map((r) => r.id), [second.invite.id]);
      assert.ok((await w.storage.invites.get(HOST, first.invite.tokenHash))?.revokedAt !== undefined);
    });
  });

  test("for an account that does not exist: no-such-account; non-admins may not", async () => {
    await using(async (w) => {
      await refused(w.model.createReset({ host: HOST, creator: ADMIN, username: "nobody" }), "no-such-account");
      await w.createUser("alice");
      await refused(w.model.createReset({ host: HOST, creator: { by: "alice@example.com", isAdmin: false }, username: "alice" }), "not-permitted");
      assert.equal((await w.model.list(HOST)).length, 0);
    });
  });
});

describe("invite-created handlers (B15, L96)", () => {
  test("groups and notes they add are stored; token, type, host and expiry stay", async () => {
    await using(async (w) => {
      await w.storage.groups.create(HOST, "default", "Everyone");
      let seenToken = "";
      w.events.on("invite-created", (e) => {
        seenToken = e.token;
        e.invite.groups = [...e.invite.groups, "default"];
        e.invite.note = "added by a hook";
        e.invite.type = "roster";
        e.invite.expires = 1;
        e.invite.tokenHash = "0".repeat(64);
        e.invite.host = "evil.example";
        e.landingPage = "https://pages.example/x";
      });
      const c = await w.model.createAccount({ host: HOST, creator: ADMIN });
      assert.equal(seenToken, c.token);
      const stored = await w.storage.invites.get(HOST, hashToken(c.token));
      assert.ok(stored);
      assert.deepEqual(stored.groups, ["default"]);
      assert.equal(stored.note, "added by a hook");
      assert.equal(stored.type, "register");
      assert.equal(stored.expires, T0 + WEEK * 1000);
      assert.equal(stored.createdBy, "admin@example.com");
      assert.equal(c.landingPage, "https://pages.example/x");
    });
  });
});

describe("landing pages", () => {
  test("page_url fills in host and token, URL-encoded", async () => {
    await using(
      async (w) => {
        await w.createUser("alice");
        const c = await w.model.createAccount({ host: HOST, creator: ADMIN });
        assert.equal(c.landingPage, `https://example.com/invite/${c.token}/`);
        assert.equal(w.model.landingPageFor(c.invite, "a/b c"), "https://example.com/invite/a%2Fb%20c/");
        const r = await w.model.createReset({ host: HOST, creator: ADMIN, username: "alice" });
        assert.equal(r.landingPage, `https://example.com/invite/${r.token}/`);
      },
      (c) => (c.invites.pageUrl = "https://{host}/invite/{token}/"),
    );
  });
});

describe("config (A10)", () => {
  test("expiry as a duration string or as seconds", () => {
    const a = parseConfig({ invites: { expiry: "2d" } }, { baseDir: "/" });
    const b = parseConfig({ invites: { expiry: 172_800 } }, { baseDir: "/" });
    assert.equal(a.invites.expirySeconds, 172_800);
    assert.equal(b.invites.expirySeconds, 172_800);
  });

  test("the configured expiry is the default lifetime", async () => {
    await using(
      async (w) => {
        const c = await w.model.createAccount({ host: HOST, creator: ADMIN });
        assert.equal(c.invite.expires - c.invite.createdAt, 172_800_000);
      },
      (c) => (c.invites.expirySeconds = 172_800),
    );
  });
});
