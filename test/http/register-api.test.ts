// The JSON registration API at /register_api (invites.md §11a; test-cases.md J89, E47, F41).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { HttpApi } from "../../src/http/types.ts";
import type { CreatedInvite, InvitesApi } from "../../src/modules/invites/api.ts";
import { startTestServer, TEST_PASSWORD, type TestServer } from "../helpers/server.ts";
import { CLI, GOOD_PASSWORD, HOST, ip } from "./register-support.ts";

const INVALID = { error: "invalid_token", error_description: "The invite is not valid" };

describe("JSON registration API", () => {
  let ts: TestServer;
  let http: HttpApi;
  let invites: InvitesApi;

  const info = (token: string, from = ip()) => http.app.request(`/register_api/invite/${encodeURIComponent(token)}`, { headers: { "X-Forwarded-For": from } });
  const register = (body: unknown, opts: { type?: string; from?: string; raw?: boolean } = {}) =>
    http.app.request("/register_api/register", {
      method: "POST",
      headers: { "Content-Type": opts.type ?? "application/json", "X-Forwarded-For": opts.from ?? ip() },
      body: opts.raw ? String(body) : JSON.stringify(body),
    });
  const exists = (username: string) => ts.server.storage.accounts.exists(HOST, username);
  const valid = async (token: string) => (await invites.validate(HOST, token)) !== undefined;

  before(async () => {
    ts = await startTestServer({
      hosts: [HOST],
      configure: (c) => {
        c.http.trustedProxies = ["127.0.0.1"];
        c.http.rateLimit = { max: 100_000, windowSeconds: 60 };
        c.http.siteName = "Hearth <Test>";
      },
    });
    http = ts.server.modules.api<HttpApi>("http")!;
    invites = ts.server.modules.api<InvitesApi>("invites")!;
    await ts.createUser("alice");
    await ts.createUser("bob");
  });
  after(() => ts.stop());

  describe("GET /register_api/invite/TOKEN", () => {
    test("an account invite", async () => {
      const inv = await invites.createAccount({ host: HOST, creator: CLI });
      const res = await info(inv.token);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
      assert.equal(res.headers.get("cache-control"), "no-store");
      assert.deepEqual(await res.json(), {
        site_name: "Hearth <Test>",
        token: inv.token,
        domain: HOST,
        uri: `xmpp:${HOST}?register;preauth=${inv.token}`,
        type: "register",
        jid: HOST,
      });
    });

    test("bound, reset and contact invites say whom they are about", async () => {
      const bound = await invites.createAccount({ host: HOST, creator: CLI, username: "juliet" });
      assert.equal((await (await info(bound.token)).json()).jid, "juliet@example.com");
      const reset = await invites.createReset({ host: HOST, creator: CLI, username: "alice" });
      const r = await (await info(reset.token)).json();
      assert.equal(r.reset, "alice");
      assert.equal(r.jid, "alice@example.com");
      const contact = await invites.createContact({ host: HOST, creator: CLI, inviter: "bob", allowRegistration: true });
      const c = await (await info(contact.token)).json();
      assert.equal(c.type, "roster");
      assert.equal(c.inviter, "bob@example.com");
      assert.equal(c.jid, "bob@example.com");
      assert.equal(c.uri, contact.uri);
      assert.equal(c.reset, undefined);
    });

    test("unknown, expired, revoked and contact-only tokens: one identical 404", async () => {
      const expired = await invites.createAccount({ host: HOST, creator: CLI, ttlSeconds: 0.05 });
      const revoked = await invites.createAccount({ host: HOST, creator: CLI });
      await invites.revoke(HOST, revoked.token);
      const contactOnly = await invites.createContact({ host: HOST, creator: CLI, inviter: "bob", allowRegistration: false });
      await new Promise((res) => setTimeout(res, 80));
      for (const token of ["nosuchtoken0000000000000", expired.token, revoked.token, contactOnly.token, "x"]) {
        const res = await info(token);
        assert.equal(res.status, 404, token);
        assert.deepEqual(await res.json(), INVALID);
      }
    });
  });

  describe("POST /register_api/register", () => {
    let inv: CreatedInvite;
    before(async () => {
      inv = await invites.createAccount({ host: HOST, creator: CLI });
    });

    const fails = async (res: Response, status: number, error: string) => {
      assert.equal(res.status, status);
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
      const body = await res.json();
      assert.equal(body.error, error);
      assert.equal(typeof body.error_description, "string");
      assert.ok(await valid(inv.token), "the token is kept");
      return body;
    };

    test("J89: wrong content type, bad JSON, missing fields: 400", async () => {
      const good = { username: "juliet", password: GOOD_PASSWORD, token: inv.token };
      await fails(await register(good, { type: "text/plain" }), 400, "invalid_request");
      await fails(await register(good, { type: "application/x-www-form-urlencoded" }), 400, "invalid_request");
      await fails(await register("{not json", { raw: true }), 400, "invalid_request");
      await fails(await register("", { raw: true }), 400, "invalid_request");
      await fails(await register([good]), 400, "invalid_request");
      await fails(await register({ ...good, username: "" }), 400, "invalid_request");
      await fails(await register({ password: GOOD_PASSWORD, token: inv.token }), 400, "invalid_request");
      await fails(await register({ ...good, password: 12345678 }), 400, "invalid_request");
      assert.equal(await exists("juliet"), false);
    });

    test("a bad username: 400; a weak password: 400 with the policy's words", async () => {
      await fails(await register({ username: "a b", password: GOOD_PASSWORD, token: inv.token }), 400, "invalid_username");
      const weak = await fails(await register({ username: "juliet", password: "short", token: inv.token }), 400, "invalid_password");
      assert.equal(weak.error_description, "Password is too short (minimum 8 characters)");
    });

    test("J89: an invalid token: 404", async () => {
      const res = await register({ username: "juliet", password: GOOD_PASSWORD, token: "nosuchtoken0000000000000" });
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), INVALID);
    });

    test("J89: an existing user: 409", async () => {
      await fails(await register({ username: "Bob", password: GOOD_PASSWORD, token: inv.token }), 409, "username_taken");
    });

    test("J89: success: 200 {jid}; the account logs in; the token is used up", async () => {
      const res = await register({ username: "Judy", password: GOOD_PASSWORD, token: inv.token });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("cache-control"), "no-store");
      assert.deepEqual(await res.json(), { jid: "judy@example.com" });
      assert.equal(await valid(inv.token), false);
      await ts.login("judy", { password: GOOD_PASSWORD });
      const again = await register({ username: "judy2", password: GOOD_PASSWORD, token: inv.token });
      assert.equal(again.status, 404);
      assert.deepEqual(await again.json(), INVALID);
    });
  });

  test("E47: a bound invite with another username: 403, token kept; with its own: 200", async () => {
    const inv = await invites.createAccount({ host: HOST, creator: CLI, username: "kate" });
    const res = await register({ username: "romeo", password: GOOD_PASSWORD, token: inv.token });
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), { error: "forbidden", error_description: "The chosen username is not valid with this invitation" });
    assert.equal(await exists("romeo"), false);
    assert.ok(await valid(inv.token));
    assert.equal((await register({ username: "kate", password: GOOD_PASSWORD, token: inv.token })).status, 200);
  });

  describe("F41: reset invites", () => {
    test("another account's name: 403, nothing changed, token kept", async () => {
      const reset = await invites.createReset({ host: HOST, creator: CLI, username: "alice" });
      const res = await register({ username: "bob", password: "a brand new secret", token: reset.token });
      assert.equal(res.status, 403);
      assert.equal((await res.json()).error, "forbidden");
      assert.ok(await valid(reset.token));
      await ts.login("bob");
    });

    test("sets the password and IS consumed: the second use is 404 (upstream never consumed it)", async () => {
      const reset = await invites.createReset({ host: HOST, creator: CLI, username: "alice" });
      const res = await register({ username: "Alice", password: "a brand new secret", token: reset.token });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { jid: "alice@example.com" });
      await ts.login("alice", { password: "a brand new secret" });
      await assert.rejects(ts.login("alice", { password: TEST_PASSWORD }));

      const second = await register({ username: "alice", password: "someone else's secret", token: reset.token });
      assert.equal(second.status, 404);
      assert.deepEqual(await second.json(), INVALID);
      assert.equal((await info(reset.token)).status, 404);
      await ts.login("alice", { password: "a brand new secret" });
    });
  });

  test("bad tokens count against the shared per-address throttle: 429 once over it", async () => {
    const from = ip();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await register({ username: "lena", password: GOOD_PASSWORD, token: `guess${String(i).padStart(19, "0")}` }, { from });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [...Array(10).fill(404), 429, 429]);
    const inv = await invites.createAccount({ host: HOST, creator: CLI });
    const blocked = await info(inv.token, from);
    assert.equal(blocked.status, 429);
    assert.equal(blocked.headers.get("retry-after"), "600");
    assert.equal((await blocked.json()).error, "too_many_requests");
    assert.equal((await info(inv.token)).status, 200);
  });
});
