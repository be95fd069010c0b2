// The invites API under /api/v1: every route, status and header (docs/api.md).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { InvitesApi } from "../../../src/modules/invites/api.ts";
import type { CreatedApiKey } from "../../../src/modules/invites-api/keys.ts";
import { HOST, OTHER, P, ip, problemOf, startApiServer, type ApiServer } from "./support.ts";

const DAY = 86_400_000;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("invites API /api/v1", () => {
  let s: ApiServer;
  let admin: CreatedApiKey;
  let invites: InvitesApi;
  before(async () => {
    s = await startApiServer({ configure: (c) => (c.http.maxBodyBytes = 4096) });
    admin = await s.key({ name: "all" });
    invites = s.ts.server.modules.api<InvitesApi>("invites")!;
    await s.ts.createUser("alice");
    await s.ts.server.storage.groups.create(HOST, "family", "Family");
  });
  after(() => s.stop());

  const post = (json: unknown, key = admin.credential) => s.call("POST", "/api/v1/invites", { key, json });

  describe("POST /api/v1/invites", () => {
    test("an account invite: 201, Location, the token once, created_by api:<key id>", async () => {
      const before = Date.now();
      const res = await post({ kind: "account", username: "newbie", roles: ["prosody:admin"], groups: ["family"], note: "for mum", ttl: "2d" });
      assert.equal(res.status, 201);
      assert.match(res.headers.get("content-type")!, /^application\/json/);
      assert.equal(res.headers.get("cache-control"), "no-store");
      const body = await res.json();
      assert.equal(res.headers.get("location"), `/api/v1/invites/${body.id}`);
      assert.match(body.token, /^[A-Za-z0-9_-]{24}$/);
      assert.equal(body.id, sha256(body.token).slice(0, 16));
      assert.equal(body.kind, "account");
      assert.equal(body.host, HOST);
      assert.equal(body.username, "newbie");
      assert.equal(body.inviter, null);
      assert.deepEqual(body.roles, ["admin"]);
      assert.deepEqual(body.groups, ["family"]);
      assert.equal(body.note, "for mum");
      assert.equal(body.reusable, false);
      assert.equal(body.max_uses, null);
      assert.equal(body.uses, 0);
      assert.equal(body.status, "live");
      assert.equal(body.created_by, `api:${admin.record.id}`);
      assert.match(body.uri, new RegExp(`^xmpp:newbie@${HOST.replace(".", "\\.")}\\?register;preauth=${body.token}`));
      assert.match(body.landing_url, new RegExp(`/invite/${body.token}/$`));
      assert.ok(Math.abs(Date.parse(body.expires) - (before + 2 * DAY)) < 60_000);
      assert.ok(Math.abs(Date.parse(body.created_at) - before) < 60_000);

      // What was stored: the hash, never the token; the token works.
      const record = await invites.find(HOST, body.id);
      assert.equal(record?.tokenHash, sha256(body.token));
      assert.equal(record?.createdBy, `api:${admin.record.id}`);
      assert.ok(await invites.validate(HOST, body.token));
    });

    test("a contact invite (with ibr) and a reset invite; ttl in seconds; max_uses makes it reusable", async () => {
      const before = Date.now();
      const contact = await post({ kind: "contact", inviter: "alice", ibr: true, ttl: 3600, max_uses: 3 });
      assert.equal(contact.status, 201);
      const c = await contact.json();
      assert.equal(c.kind, "contact");
      assert.equal(c.inviter, "alice");
      assert.equal(c.ibr, true);
      assert.equal(c.reusable, true);
      assert.equal(c.max_uses, 3);
      assert.match(c.uri, /^xmpp:alice@example\.com\?roster;preauth=[A-Za-z0-9_-]{24};ibr=y$/);
      assert.ok(Math.abs(Date.parse(c.expires) - (before + 3_600_000)) < 60_000);

      const reset = await post({ kind: "reset", username: "alice" });
      assert.equal(reset.status, 201);
      const r = await reset.json();
      assert.equal(r.kind, "reset");
      assert.equal(r.username, "alice");
      assert.ok(Math.abs(Date.parse(r.expires) - (before + DAY)) < 60_000, "invites.reset_expiry by default");
    });

    test("the host comes from the body, else the key's only host, else the request's Host", async () => {
      const named = await (await post({ kind: "account", host: OTHER })).json();
      assert.equal(named.host, OTHER);
      const scoped = await s.key({ hosts: [OTHER] });
      assert.equal((await (await post({ kind: "account" }, scoped.credential)).json()).host, OTHER);
      const byHeader = await s.call("POST", "/api/v1/invites", { key: admin.credential, json: { kind: "account" }, headers: { Host: OTHER } });
      assert.equal((await byHeader.json()).host, OTHER);
      assert.equal((await (await post({ kind: "account" })).json()).host, HOST);
    });

    test("a wrong content type is 415; a body that is not JSON is 400", async () => {
      const types: Record<string, string>[] = [{ "Content-Type": "text/plain" }, { "Content-Type": "application/x-www-form-urlencoded" }, {}];
      for (const headers of types) {
        const res = await s.call("POST", "/api/v1/invites", { key: admin.credential, body: '{"kind":"account"}', headers });
        assert.equal(res.status, 415);
        assert.equal((await problemOf(res)).type, P("unsupported-media-type"));
      }
      const bad = await s.call("POST", "/api/v1/invites", { key: admin.credential, body: "{kind: account", headers: { "Content-Type": "application/json; charset=utf-8" } });
      assert.equal(bad.status, 400);
      assert.equal((await problemOf(bad)).type, P("malformed-json"));
    });

    test("bad fields are 400 with every issue listed as a JSON pointer", async () => {
      const res = await post({ kind: "account", max_uses: 0, roles: "admin", colour: "red" });
      assert.equal(res.status, 400);
      const p = await problemOf(res);
      assert.equal(p.type, P("invalid-request"));
      assert.equal(p.title, "Request fields are invalid");
      const pointers = p.errors!.map((e) => e.pointer);
      assert.ok(pointers.includes("/max_uses"), JSON.stringify(p.errors));
      assert.ok(pointers.includes("/roles"), JSON.stringify(p.errors));
      assert.ok(p.errors!.some((e) => e.detail.includes("colour")), JSON.stringify(p.errors));
      assert.match(p.detail!, /max_uses/);

      for (const json of [{ kind: "banana" }, {}, [], "account", null, { kind: "reset" }, { kind: "contact" }, { kind: "account", ttl: "soon" }, { kind: "account", ttl: 0 }, { kind: "account", ttl: "11000d" }]) {
        const r = await post(json);
        assert.equal(r.status, 400, JSON.stringify(json));
        assert.equal((await problemOf(r)).type, P("invalid-request"), JSON.stringify(json));
      }
    });

    test("invite model refusals map to statuses with their own problem types", async () => {
      const cases: [unknown, number, string][] = [
        [{ kind: "account", username: "two words" }, 400, "bad-username"],
        [{ kind: "account", username: "alice" }, 400, "bad-username"],
        [{ kind: "account", roles: ["wizard"] }, 400, "bad-role"],
        [{ kind: "account", roles: ["operator"] }, 403, "role-not-permitted"],
        [{ kind: "account", reusable: false, max_uses: 2 }, 400, "bad-max-uses"],
        [{ kind: "account", groups: ["nope"] }, 404, "no-such-group"],
        [{ kind: "contact", inviter: "nobody" }, 404, "no-such-account"],
        [{ kind: "reset", username: "nobody" }, 404, "no-such-account"],
      ];
      for (const [json, status, type] of cases) {
        const res = await post(json);
        assert.equal(res.status, status, JSON.stringify(json));
        const p = await problemOf(res);
        assert.equal(p.type, P(type), JSON.stringify(json));
        assert.ok(p.detail, "the model's message is the detail");
      }
    });

    test("a body over http.max_body_bytes is 413", async () => {
      const body = JSON.stringify({ kind: "account", note: "x".repeat(5000) });
      const res = await s.call("POST", "/api/v1/invites", {
        key: admin.credential,
        body,
        headers: { "Content-Type": "application/json", "Content-Length": String(body.length) },
      });
      assert.equal(res.status, 413);
      assert.equal((await problemOf(res)).status, 413);
    });

    test("markup in a note is stored and returned as JSON text; no answer of the API is HTML", async () => {
      const note = `<script>alert(1)</script><img src=x onerror="alert(2)">&amp;`;
      const res = await post({ kind: "account", note });
      assert.match(res.headers.get("content-type")!, /^application\/json/);
      const created = await res.json();
      assert.equal(created.note, note);
      const shown = await s.call("GET", `/api/v1/invites/${created.id}`, { key: admin.credential });
      assert.match(shown.headers.get("content-type")!, /^application\/json/);
      assert.equal((await shown.json()).note, note);
      const listed = await s.call("GET", "/api/v1/invites", { key: admin.credential });
      assert.ok(((await listed.json()) as { note: string | null }[]).some((i) => i.note === note));
      for (const path of ["/api/v1/nothing", "/api/v1/invites/zz", "/api/v1/invites/<script>"]) {
        const r = await s.call("GET", path, { key: admin.credential });
        assert.equal(r.headers.get("content-type"), "application/problem+json", path);
        assert.doesNotMatch(await r.text(), /<html/i);
      }
    });
  });

  describe("authentication", () => {
    test("no key: 401 with WWW-Authenticate Bearer realm=hearth, on every route", async () => {
      const routes: [string, string][] = [
        ["POST", "/api/v1/invites"],
        ["GET", "/api/v1/invites"],
        ["GET", "/api/v1/invites/tree"],
        ["GET", "/api/v1/invites/0123456789abcdef"],
        ["DELETE", "/api/v1/invites/0123456789abcdef"],
      ];
      for (const [method, path] of routes) {
        const res = await s.call(method, path, method === "POST" ? { json: { kind: "account" } } : {});
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="hearth"');
        const p = await problemOf(res);
        assert.equal(p.type, P("unauthorized"));
      }
      const basic = await s.call("GET", "/api/v1/invites", { headers: { Authorization: "Basic YTpi" } });
      assert.equal(basic.status, 401);
    });

    test("a wrong secret, an unknown id or a malformed key: 401 with error=invalid_token", async () => {
      const [id, secret] = admin.credential.split(".") as [string, string];
      const wrongSecret = `${id}.${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
      const unknownId = `${id.slice(0, -1)}${id.endsWith("A") ? "B" : "A"}.${secret}`;
      for (const key of [wrongSecret, unknownId, "nonsense", `${id}.short`, `${id}:${secret}`]) {
        const res = await s.call("GET", "/api/v1/invites", { key });
        assert.equal(res.status, 401, key);
        assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="hearth", error="invalid_token"');
      }
      // Prosody's separator works here too; the scheme is case-insensitive.
      assert.equal((await s.call("GET", "/api/v1/invites", { headers: { Authorization: `bearer ${id}/${secret}` } })).status, 200);
    });

    test("an expired key and a revoked key: 401", async () => {
      const expired = await s.key({ expires: Date.now() - 1000 }, Date.now() - DAY);
      assert.equal((await s.call("GET", "/api/v1/invites", { key: expired.credential })).status, 401);
      const revoked = await s.key();
      assert.equal((await s.call("GET", "/api/v1/invites", { key: revoked.credential })).status, 200);
      await s.ts.server.storage.apiKeys.revoke(revoked.record.id, Date.now());
      const res = await post({ kind: "account" }, revoked.credential);
      assert.equal(res.status, 401);
      assert.equal((await problemOf(res)).type, P("unauthorized"));
    });

    test("after too many bad keys an address gets 429 with Retry-After, even with a good key; others do not", async () => {
      const from = ip();
      const [id] = admin.credential.split(".") as [string];
      for (let i = 0; i < 10; i++) {
        const res = await s.call("GET", "/api/v1/invites", { key: `${id}.${"x".repeat(36)}`, ip: from });
        assert.equal(res.status, 401, `attempt ${i + 1}`);
      }
      for (const key of [`${id}.${"y".repeat(36)}`, admin.credential]) {
        const res = await s.call("GET", "/api/v1/invites", { key, ip: from });
        assert.equal(res.status, 429);
        assert.equal((await problemOf(res)).type, P("too-many-attempts"));
        assert.equal(res.headers.get("retry-after"), "600");
      }
      // Requests without a key are not guesses: still 401.
      assert.equal((await s.call("GET", "/api/v1/invites", { ip: from })).status, 401);
      assert.equal((await s.call("GET", "/api/v1/invites", { key: admin.credential, ip: ip() })).status, 200);
    });
  });

  describe("scope", () => {
    test("a key for one host gets 403 on another; a key for some kinds gets 403 for the others", async () => {
      const other = await s.key({ hosts: [OTHER] });
      const res = await post({ kind: "account", host: HOST }, other.credential);
      assert.equal(res.status, 403);
      assert.equal((await problemOf(res)).type, P("forbidden"));
      assert.equal((await s.call("GET", `/api/v1/invites?host=${HOST}`, { key: other.credential })).status, 403);
      assert.equal((await s.call("GET", `/api/v1/invites/tree?host=${HOST}`, { key: other.credential })).status, 403);

      const contactOnly = await s.key({ kinds: ["contact"] });
      for (const json of [{ kind: "account" }, { kind: "reset", username: "alice" }]) {
        const r = await post(json, contactOnly.credential);
        assert.equal(r.status, 403, JSON.stringify(json));
        assert.equal((await problemOf(r)).type, P("forbidden"));
      }
      assert.equal((await post({ kind: "contact", inviter: "alice" }, contactOnly.credential)).status, 201);
    });

    test("a key sees, shows and revokes only the kinds it may create", async () => {
      const account = await (await post({ kind: "account", note: "scope-account" })).json();
      const contactOnly = await s.key({ kinds: ["contact"] });
      const contact = await (await post({ kind: "contact", inviter: "alice", note: "scope-contact" }, contactOnly.credential)).json();
      const listed = (await (await s.call("GET", "/api/v1/invites", { key: contactOnly.credential })).json()) as { id: string; kind: string }[];
      assert.ok(listed.some((i) => i.id === contact.id));
      assert.ok(listed.every((i) => i.kind === "contact"), "no account or reset invites");
      assert.equal((await s.call("GET", `/api/v1/invites/${account.id}`, { key: contactOnly.credential })).status, 403);
      const del = await s.call("DELETE", `/api/v1/invites/${account.id}`, { key: contactOnly.credential });
      assert.equal(del.status, 403);
      assert.ok(await invites.find(HOST, account.id).then((r) => r?.revokedAt === undefined), "still live");
    });

    test("a host that is not ours is 400", async () => {
      const res = await s.call("GET", "/api/v1/invites?host=elsewhere.example", { key: admin.credential });
      assert.equal(res.status, 400);
      assert.equal((await problemOf(res)).type, P("unknown-host"));
      assert.equal((await post({ kind: "account", host: "elsewhere.example" })).status, 400);
    });
  });

  describe("GET, DELETE and the tree", () => {
    test("list: live invites of the host, oldest first, without tokens", async () => {
      const a = await (await post({ kind: "account", host: OTHER, note: "list-a" })).json();
      const b = await (await post({ kind: "account", host: OTHER, note: "list-b" })).json();
      const res = await s.call("GET", `/api/v1/invites?host=${OTHER}`, { key: admin.credential });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("cache-control"), "no-store");
      const text = await res.text();
      assert.ok(!text.includes(a.token) && !text.includes(b.token), "no tokens in listings");
      const list = JSON.parse(text) as { id: string; host: string; token?: string }[];
      const ids = list.map((i) => i.id);
      assert.ok(ids.indexOf(a.id) >= 0 && ids.indexOf(a.id) < ids.indexOf(b.id));
      assert.ok(list.every((i) => i.host === OTHER && i.token === undefined));
    });

    test("show by id or id prefix; unknown and malformed ids are 404", async () => {
      const created = await (await post({ kind: "account" })).json();
      for (const id of [created.id, created.id.slice(0, 8), created.id.toUpperCase()]) {
        const res = await s.call("GET", `/api/v1/invites/${id}`, { key: admin.credential });
        assert.equal(res.status, 200, id);
        const body = await res.json();
        assert.equal(body.id, created.id);
        assert.equal(body.token, undefined);
      }
      for (const id of ["ffffffffffffffff", "abc", "not-an-id", created.token]) {
        const res = await s.call("GET", `/api/v1/invites/${id}`, { key: admin.credential });
        assert.equal(res.status, 404, id);
        assert.equal((await problemOf(res)).type, P("not-found"));
      }
    });

    test("DELETE revokes: 204, then it is gone from the list, shows as revoked and cannot be used; again is 404", async () => {
      const created = await (await post({ kind: "account" })).json();
      const del = await s.call("DELETE", `/api/v1/invites/${created.id}`, { key: admin.credential });
      assert.equal(del.status, 204);
      assert.equal(await del.text(), "");
      assert.equal(await invites.validate(HOST, created.token), undefined);
      const list = (await (await s.call("GET", "/api/v1/invites", { key: admin.credential })).json()) as { id: string }[];
      assert.ok(!list.some((i) => i.id === created.id));
      const shown = await (await s.call("GET", `/api/v1/invites/${created.id}`, { key: admin.credential })).json();
      assert.equal(shown.status, "revoked");
      const again = await s.call("DELETE", `/api/v1/invites/${created.id}`, { key: admin.credential });
      assert.equal(again.status, 404);
      assert.equal((await s.call("DELETE", "/api/v1/invites/ffffffffffffffff", { key: admin.credential })).status, 404);
    });

    test("tree: who joined by whose invite, rooted at the API key", async () => {
      const empty = await s.call("GET", `/api/v1/invites/tree?host=${OTHER}`, { key: admin.credential });
      assert.equal(empty.status, 200);
      assert.deepEqual(await empty.json(), []);
      const at = Date.UTC(2030, 0, 1);
      await s.ts.server.storage.inviteTracking.record({ host: HOST, username: "bob", inviteId: "0123456789abcdef", invitedBy: `api:${admin.record.id}`, at });
      await s.ts.server.storage.inviteTracking.record({ host: HOST, username: "carol", inviteId: "1123456789abcdef", invitedBy: `bob@${HOST}`, at: at + 1000 });
      const res = await s.call("GET", "/api/v1/invites/tree", { key: admin.credential });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), [
        {
          who: `api:${admin.record.id}`,
          at: null,
          invite_id: null,
          invited: [
            {
              who: `bob@${HOST}`,
              at: "2030-01-01T00:00:00.000Z",
              invite_id: "0123456789abcdef",
              invited: [{ who: `carol@${HOST}`, at: "2030-01-01T00:00:01.000Z", invite_id: "1123456789abcdef", invited: [] }],
            },
          ],
        },
      ]);
    });
  });
});
