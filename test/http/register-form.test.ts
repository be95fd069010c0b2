// Web registration and password reset at /register (invites.md §11, §15; test-cases.md J86–J88, J90, J93, D35, E47).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { catalogue } from "../../src/http/i18n/index.ts";
import type { HttpApi } from "../../src/http/types.ts";
import type { CreatedInvite, InvitesApi } from "../../src/modules/invites/api.ts";
import { startTestServer, TEST_PASSWORD, type TestServer } from "../helpers/server.ts";
import {
  attr,
  CLI,
  csrfPair,
  decode,
  GOOD_PASSWORD,
  h1,
  HOST,
  ip,
  requester,
  tagWithId,
  textOf,
  type Requester,
} from "./register-support.ts";

const NO_LONGER_VALID = "This invite is no longer valid";

describe("web registration", () => {
  let ts: TestServer;
  let http: HttpApi;
  let invites: InvitesApi;
  let r: Requester;

  const account = (opts: { username?: string; roles?: string[]; groups?: string[]; ttlSeconds?: number } = {}) =>
    invites.createAccount({ host: HOST, creator: CLI, ...opts });
  const valid = async (token: string) => (await invites.validate(HOST, token)) !== undefined;
  const exists = (username: string) => ts.server.storage.accounts.exists(HOST, username);
  const fields = (inv: CreatedInvite, user: string, password = GOOD_PASSWORD, confirm = password) => ({
    token: inv.token,
    user,
    password,
    password_confirm: confirm,
  });

  before(async () => {
    ts = await startTestServer({
      hosts: [HOST],
      configure: (c) => {
        c.http.trustedProxies = ["127.0.0.1"];
        c.http.rateLimit = { max: 100_000, windowSeconds: 60 };
        c.http.maxBodyBytes = 4096;
        // J90: one registration per address a minute; a blocked range.
        c.registration.throttleMax = 1;
        c.registration.throttlePeriodSeconds = 60;
        c.registration.blocklist = ["203.0.113.0/24"];
      },
    });
    http = ts.server.modules.api<HttpApi>("http")!;
    invites = ts.server.modules.api<InvitesApi>("invites")!;
    r = requester(http);
    await ts.createUser("alice");
    await ts.createUser("bob");
    await ts.server.storage.groups.create(HOST, "family", "Family");
  });
  after(() => ts.stop());

  describe("the form (GET)", () => {
    let inv: CreatedInvite;
    let res: Response;
    let html: string;
    before(async () => {
      inv = await account();
      res = await r.get(`/register?t=${inv.token}`);
      html = await res.text();
    });

    test("200 'Register on SITE' with the @DOMAIN suffix, never cached", () => {
      assert.equal(res.status, 200);
      assert.equal(h1(html), `Register on ${HOST}`);
      assert.match(html, /<title>Register on example\.com<\/title>/);
      assert.ok(html.includes(`<span class="domain" aria-hidden="true">@${HOST}</span>`));
      assert.equal(res.headers.get("cache-control"), "no-cache, no-store, must-revalidate");
      assert.equal(res.headers.get("pragma"), "no-cache");
      assert.equal(res.headers.get("expires"), "0");
      assert.equal(res.headers.get("referrer-policy"), "no-referrer");
    });

    test("fields: username, password twice (new-password, policy minlength), hidden token and csrf; a label for each", () => {
      const user = tagWithId(html, "user");
      assert.equal(attr(user, "type"), "text");
      assert.equal(attr(user, "name"), "user");
      assert.equal(attr(user, "value"), "");
      assert.equal(attr(user, "readonly"), undefined);
      for (const id of ["password", "password_confirm"]) {
        const tag = tagWithId(html, id);
        assert.equal(attr(tag, "type"), "password", id);
        assert.equal(attr(tag, "autocomplete"), "new-password", id);
        assert.equal(attr(tag, "minlength"), "8", id);
        assert.equal(attr(tag, "value"), undefined, `${id} carries no value`);
      }
      for (const id of ["user", "password", "password_confirm"]) assert.ok(html.includes(`<label for="${id}">`), `label for ${id}`);
      assert.ok(html.includes(`<input type="hidden" name="token" value="${inv.token}"/>`));
      const csrf = /<input type="hidden" name="csrf" value="([A-Za-z0-9_-]{32})"\/>/.exec(html)?.[1];
      assert.ok(csrf, "hidden csrf field");
      assert.equal(res.headers.get("set-cookie")?.split(";")[0], `hearth_csrf=${csrf}`);
      assert.doesNotMatch(html, /name="app_id"/);
      assert.match(html, /<form class="stack" method="post" action="\/register">/);
    });

    test("a 'show' button per password, hidden until hearth.js reveals it; no inline script or style", () => {
      assert.match(html, /<button type="button" class="secondary reveal" data-reveal="password" aria-controls="password" aria-pressed="false" aria-label="Show password" hidden="">Show<\/button>/);
      assert.match(html, /data-reveal="password_confirm"/);
      assert.doesNotMatch(html, /<script>|<script [^>]*>[^<]/);
      assert.doesNotMatch(html, /\sstyle=|\son[a-z]+=/);
    });

    test("with an app chosen: its id travels as a hidden field, and an app that takes invite URIs gets an open button", async () => {
      const page = await (await r.get(`/register?t=${inv.token}&c=conversations`)).text();
      assert.ok(page.includes(`<input type="hidden" name="app_id" value="conversations"/>`));
      assert.ok(page.includes(`href="${inv.uri}" data-action="open"`));
      assert.match(page, /sign in with Conversations/);
      const unknown = await (await r.get(`/register?t=${inv.token}&c=no-such-app`)).text();
      assert.doesNotMatch(unknown, /name="app_id"/);
    });

    test("German when the browser asks for it", async () => {
      const page = await (await r.get(`/register?t=${inv.token}`, { lang: "de-DE,de;q=0.9" })).text();
      assert.equal(h1(page), `Registrierung bei ${HOST}`);
      assert.ok(page.includes(`<label for="password_confirm">Passwort wiederholen</label>`));
    });

    test("a contact invite that also registers names the inviter", async () => {
      const contact = await invites.createContact({ host: HOST, creator: CLI, inviter: "alice", allowRegistration: true });
      const page = await (await r.get(`/register?t=${contact.token}`)).text();
      assert.match(page, /alice@example\.com will be in your contacts straight away\./);
    });
  });

  describe("tokens that do not register (J86, D35)", () => {
    test("unknown, expired and revoked tokens: 303 to their landing page, which says 'no longer valid'", async () => {
      const expired = await account({ ttlSeconds: 0.05 });
      const revoked = await account();
      await invites.revoke(HOST, revoked.token);
      await new Promise((res) => setTimeout(res, 80));
      for (const token of ["nosuchtoken0000000000000", expired.token, revoked.token]) {
        const res = await r.get(`/register?t=${encodeURIComponent(token)}`);
        assert.equal(res.status, 303, token);
        assert.equal(res.headers.get("location"), `/invite/${token}/`);
        const landing = await r.get(res.headers.get("location")!);
        assert.equal(landing.status, 404);
        assert.equal(h1(await landing.text()), NO_LONGER_VALID);
      }
    });

    test("no token at all: 303 to the invite page", async () => {
      const res = await r.get("/register");
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/invite");
      assert.equal((await r.get("/invite")).status, 404);
    });

    test("D35: a used single-use token, GET and POST: 303 to the landing page", async () => {
      const inv = await account();
      assert.equal((await r.submit(fields(inv, "dora"))).status, 200);
      const get = await r.get(`/register?t=${inv.token}`);
      assert.equal(get.status, 303);
      assert.equal(get.headers.get("location"), `/invite/${inv.token}/`);
      const post = await r.submit(fields(inv, "dora2"));
      assert.equal(post.status, 303);
      assert.equal(post.headers.get("location"), `/invite/${inv.token}/`);
      assert.equal(await exists("dora2"), false);
    });

    test("a contact-only invite (no registration right): 303 to its landing page", async () => {
      const contact = await invites.createContact({ host: HOST, creator: CLI, inviter: "alice", allowRegistration: false });
      const res = await r.get(`/register?t=${contact.token}`);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), `/invite/${contact.token}/`);
      const landing = await r.get(res.headers.get("location")!);
      assert.equal(landing.status, 200);
      const post = await r.submit(fields(contact, "sneaky"));
      assert.equal(post.status, 303);
      assert.equal(await exists("sneaky"), false);
    });
  });

  describe("J86: refused registrations re-render the form, token kept", () => {
    let inv: CreatedInvite;
    before(async () => {
      inv = await account();
    });

    const failing = async (f: Record<string, string>, status: number) => {
      const res = await r.submit(f);
      assert.equal(res.status, status);
      const html = await res.text();
      assert.ok(await valid(inv.token), "the token is not used up");
      // The password typed is never sent back.
      if (f.password) assert.ok(!html.includes(f.password), "no password echoed");
      for (const id of ["password", "password_confirm"]) assert.equal(attr(tagWithId(html, id), "value"), undefined);
      return html;
    };

    test("empty fields: 'Please fill in all fields.'", async () => {
      for (const f of [fields(inv, ""), fields(inv, "emma", ""), fields(inv, "emma", GOOD_PASSWORD, "")]) {
        const html = await failing(f, 400);
        assert.equal(textOf(html, "form-error"), "Please fill in all fields.");
      }
      assert.equal(await exists("emma"), false);
    });

    test("a bad username: 'This username contains invalid characters.', next to the field", async () => {
      const html = await failing(fields(inv, "a b"), 400);
      assert.equal(textOf(html, "user-error"), "This username contains invalid characters.");
      const user = tagWithId(html, "user");
      assert.equal(attr(user, "value"), "a b");
      assert.equal(attr(user, "aria-invalid"), "true");
      assert.match(attr(user, "aria-describedby") ?? "", /\buser-error\b/);
      assert.equal(textOf(html, "form-error"), "Please correct the marked fields.");
    });

    test("script in the username: refused, and shown back escaped", async () => {
      const evil = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`;
      const html = await failing(fields(inv, evil), 400);
      assert.equal(textOf(html, "user-error"), "This username contains invalid characters.");
      assert.ok(!html.includes("<script>alert(1)"), "no live script");
      assert.ok(!html.includes("<img src=x"), "no live markup");
      assert.ok(html.includes(`value="&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"`));
      assert.equal(attr(tagWithId(html, "user"), "value"), evil);
    });

    test("a taken username: 409 'This username is already in use.'", async () => {
      const html = await failing(fields(inv, "Bob"), 409);
      assert.equal(textOf(html, "user-error"), "This username is already in use.");
    });

    test("a short password: the policy's message, next to the password", async () => {
      const html = await failing(fields(inv, "emma", "short1"), 400);
      assert.equal(textOf(html, "password-error"), "Password is too short (minimum 8 characters)");
      assert.match(attr(tagWithId(html, "password"), "aria-describedby") ?? "", /^password-hint password-error$/);
      assert.equal(attr(tagWithId(html, "user"), "value"), "emma", "the username is kept");
    });

    test("a password containing the username, in any case: 'Password must not include your username'", async () => {
      const html = await failing(fields(inv, "emma", "my EMMA password"), 400);
      assert.equal(textOf(html, "password-error"), "Password must not include your username");
    });

    test("passwords that differ: a message next to the second", async () => {
      const html = await failing(fields(inv, "emma", GOOD_PASSWORD, `${GOOD_PASSWORD}!`), 400);
      assert.equal(textOf(html, "password_confirm-error"), "The two passwords are not the same.");
    });

    test("messages in German too", async () => {
      const res = await r.submit(fields(inv, "Bob"), { lang: "de" });
      assert.equal(textOf(await res.text(), "user-error"), "Dieser Benutzername ist schon vergeben.");
    });

    test("after all that the token still registers", async () => {
      const res = await r.submit(fields(inv, "emma"));
      assert.equal(res.status, 200);
      assert.ok(await exists("emma"));
    });
  });

  describe("J87: success", () => {
    let inv: CreatedInvite;
    let res: Response;
    let html: string;
    before(async () => {
      inv = await account({ roles: ["restricted"], groups: ["family"] });
      const from = ip();
      // The real flow: the form hands out the cookie and the hidden field.
      const form = await r.get(`/register?t=${inv.token}&c=conversations`, { ip: from });
      const page = await form.text();
      const cookie = form.headers.get("set-cookie")!.split(";")[0]!;
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
      res = await r.post({ ...fields(inv, "Frank"), csrf, app_id: "conversations" }, { ip: from, cookie, origin: "http://example.com" });
      html = await res.text();
    });

    test("the new address is shown, never the password, with no-cache headers", () => {
      assert.equal(res.status, 200);
      assert.equal(h1(html), `Welcome to ${HOST}!`);
      assert.ok(html.includes(`<strong class="address" data-jid="">frank@example.com</strong>`));
      assert.ok(!html.includes(GOOD_PASSWORD));
      assert.equal(res.headers.get("cache-control"), "no-cache, no-store, must-revalidate");
      assert.equal(res.headers.get("pragma"), "no-cache");
      assert.equal(res.headers.get("expires"), "0");
    });

    test("the steps for the chosen app: install, then sign in", () => {
      assert.match(html, /<h2 id="step1-heading">Step 1: Install Conversations<\/h2>/);
      assert.ok(html.includes(`href="https://f-droid.org/packages/eu.siacs.conversations/"`));
      assert.match(html, /<h2 id="step2-heading">Step 2: Sign in<\/h2>/);
      assert.match(html, /Open Conversations, choose to sign in with an existing account/);
    });

    test("the account exists with the invite's role and group; the invite is used up", async () => {
      const acc = await ts.server.storage.accounts.get(HOST, "frank");
      assert.equal(acc?.role, "restricted");
      assert.deepEqual(await ts.server.storage.groups.members(HOST, "family"), ["frank"]);
      assert.equal(await valid(inv.token), false);
      assert.equal((await ts.server.storage.inviteTracking.get(HOST, "frank"))?.inviteId, inv.invite.id);
    });

    test("the account logs in over XMPP with the password chosen", async () => {
      const c = await ts.login("frank", { password: GOOD_PASSWORD });
      assert.equal(c.jid?.split("/")[0], "frank@example.com");
    });

    test("without an app chosen: the address and a list of apps to sign in with", async () => {
      const other = await account();
      const page = await (await r.submit(fields(other, "gina"))).text();
      assert.ok(page.includes(`<strong class="address" data-jid="">gina@example.com</strong>`));
      assert.match(page, /<h2 id="apps-heading">Sign in with a chat app<\/h2>/);
      assert.match(page, /<a href="https:\/\/gajim\.org\/?" rel="noopener noreferrer">Gajim<\/a>/);
    });
  });

  describe("E47: an invite bound to a username", () => {
    let inv: CreatedInvite;
    before(async () => {
      inv = await account({ username: "juliet" });
    });

    test("the username is filled in and read-only", async () => {
      const html = await (await r.get(`/register?t=${inv.token}`)).text();
      const user = tagWithId(html, "user");
      assert.equal(attr(user, "value"), "juliet");
      assert.equal(attr(user, "readonly"), "");
      assert.equal(textOf(html, "user-hint"), "This invitation is for this username.");
    });

    test("a POST with another username: refused next to the username, token kept", async () => {
      const res = await r.submit(fields(inv, "romeo"));
      assert.equal(res.status, 403);
      const html = await res.text();
      assert.equal(textOf(html, "user-error"), "The chosen username is not valid with this invitation");
      assert.equal(attr(tagWithId(html, "user"), "value"), "juliet");
      assert.equal(await exists("romeo"), false);
      assert.ok(await valid(inv.token));
    });

    test("with its own username (any case) it registers", async () => {
      const res = await r.submit(fields(inv, "Juliet"));
      assert.equal(res.status, 200);
      assert.ok((await res.text()).includes("juliet@example.com"));
      assert.ok(await exists("juliet"));
    });
  });

  describe("password reset invites", () => {
    test("the form: 'Choose a new password for USER@DOMAIN', username fixed", async () => {
      const reset = await invites.createReset({ host: HOST, creator: CLI, username: "alice" });
      const res = await r.get(`/register?t=${reset.token}`);
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.equal(h1(html), "Choose a new password for alice@example.com");
      const user = tagWithId(html, "user");
      assert.equal(attr(user, "value"), "alice");
      assert.equal(attr(user, "readonly"), "");
      assert.equal(attr(tagWithId(html, "password"), "autocomplete"), "new-password");
    });

    test("POST: 'Your password has been changed'; the new password works, the old does not, the token is used up", async () => {
      await ts.createUser("hank");
      const reset = await invites.createReset({ host: HOST, creator: CLI, username: "hank" });
      // The username field is read-only; whatever comes with the POST, the reset is for its account.
      const res = await r.submit(fields(reset, "bob", "a brand new secret"));
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.equal(h1(html), "Your password has been changed");
      assert.ok(html.includes(`<strong class="address" data-jid="">hank@example.com</strong>`));
      assert.equal(await valid(reset.token), false);
      await ts.login("hank", { password: "a brand new secret" });
      await assert.rejects(ts.login("hank", { password: TEST_PASSWORD }));
      await ts.login("bob");
      const again = await r.submit(fields(reset, "hank", "yet another secret"));
      assert.equal(again.status, 303);
    });

    test("the policy applies to the new password", async () => {
      const reset = await invites.createReset({ host: HOST, creator: CLI, username: "alice" });
      const res = await r.submit(fields(reset, "alice", "alice-pw-2024"));
      assert.equal(res.status, 400);
      assert.equal(textOf(await res.text(), "password-error"), "Password must not include your username");
      assert.ok(await valid(reset.token));
    });
  });

  describe("J88: CSRF", () => {
    let inv: CreatedInvite;
    before(async () => {
      inv = await account();
    });

    const refused = async (res: Response) => {
      assert.equal(res.status, 403);
      const html = await res.text();
      assert.equal(h1(html), "This form has expired");
      assert.ok(await valid(inv.token));
      assert.equal(await exists("mallory"), false);
    };

    test("a POST from a foreign Origin is refused, even with a matching cookie and field", async () => {
      const { cookie, csrf } = csrfPair();
      await refused(await r.post({ ...fields(inv, "mallory"), csrf }, { cookie, origin: "https://evil.example" }));
    });

    test("no cookie, another cookie, no field: refused", async () => {
      const { cookie, csrf } = csrfPair();
      await refused(await r.post({ ...fields(inv, "mallory"), csrf }));
      await refused(await r.post({ ...fields(inv, "mallory"), csrf }, { cookie: csrfPair().cookie }));
      await refused(await r.post(fields(inv, "mallory"), { cookie }));
    });

    test("a body that is not a urlencoded form has no field, so it is refused too", async () => {
      const { cookie, csrf } = csrfPair();
      await refused(await r.post({ ...fields(inv, "mallory"), csrf }, { cookie, type: "text/plain" }));
    });

    test("a same-origin POST with `Origin: null` (no-referrer pages) and cookie and field goes through", async () => {
      const { cookie, csrf } = csrfPair();
      const res = await r.post({ ...fields(inv, "ivan"), csrf }, { cookie, origin: "null" });
      assert.equal(res.status, 200);
      assert.ok(await exists("ivan"));
    });
  });

  test("a body over the limit: 413", async () => {
    const inv = await account();
    const res = await r.submit({ ...fields(inv, "jack"), filler: "x".repeat(5000) });
    assert.equal(res.status, 413);
    assert.equal(h1(await res.text()), "Request too large");
    assert.equal(await exists("jack"), false);
  });

  test("J93: 100 bad tokens from one address: 429 after the limit, shared with the invite pages; others unaffected", async () => {
    const from = ip();
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await r.submit({ token: `guess${String(i).padStart(19, "0")}`, user: "kim", password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD }, { ip: from });
      statuses.push(res.status);
      if (res.status === 429) assert.equal(res.headers.get("retry-after"), "600");
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(303));
    assert.deepEqual(statuses.slice(10), Array(90).fill(429));
    const inv = await account();
    // Even a good token is not looked at from that address, on the form or the landing page.
    assert.equal((await r.get(`/register?t=${inv.token}`, { ip: from })).status, 429);
    assert.equal((await r.get(`/invite/${inv.token}/`, { ip: from })).status, 429);
    assert.equal((await r.submit(fields(inv, "kim"), { ip: from })).status, 429);
    assert.equal((await r.submit(fields(inv, "kim"))).status, 200);
  });

  describe("J90: registration limits apply to the web form", () => {
    test("a second registration from one address within the period: 429, the token kept", async () => {
      const from = ip();
      const first = await account();
      assert.equal((await r.submit(fields(first, "lena"), { ip: from })).status, 200);
      const second = await account();
      const res = await r.submit(fields(second, "lenb"), { ip: from });
      assert.equal(res.status, 429);
      assert.equal(h1(await res.text()), "Too many registrations");
      assert.equal(res.headers.get("retry-after"), "60");
      assert.equal(await exists("lenb"), false);
      assert.ok(await valid(second.token));
    });

    test("a blocklisted address: refused with the reason", async () => {
      const inv = await account();
      const res = await r.submit(fields(inv, "mona"), { ip: "203.0.113.7" });
      assert.equal(res.status, 403);
      assert.equal(textOf(await res.text(), "form-error"), "Your IP address is blocklisted");
      assert.equal(await exists("mona"), false);
    });
  });

  test("storage failure: a 500 page with an error id, nothing kept, the token still good", async () => {
    const inv = await account();
    const db = new Database(ts.server.config.storage.path);
    db.exec(`CREATE TRIGGER no_accounts BEFORE INSERT ON accounts BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    try {
      const res = await r.submit(fields(inv, "nora"));
      assert.equal(res.status, 500);
      assert.match(decode(await res.text()), /An unknown error has occurred \([0-9a-f]{8}\)\. Please try again later\./);
    } finally {
      db.exec("DROP TRIGGER no_accounts");
      db.close();
    }
    assert.equal(await exists("nora"), false);
    assert.ok(await valid(inv.token));
  });

  test("every registration message exists in English and German", () => {
    const en = Object.keys(catalogue("en")).filter((k) => k.startsWith("register."));
    const de = Object.keys(catalogue("de")).filter((k) => k.startsWith("register."));
    assert.ok(en.length > 40);
    assert.deepEqual(en.filter((k) => !de.includes(k)), [], "missing in German");
    assert.deepEqual(de.filter((k) => !en.includes(k)), [], "missing in English");
  });
});
