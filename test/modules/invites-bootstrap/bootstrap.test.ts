// The HTTP bootstrap (I77, invites.md §13.4): the secret, one admin invite per host and index with the same URL
// on every call, 410 for an index below one used, the shared token throttle, and no secret or token kept or logged.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { Config } from "../../../src/core/config/index.ts";
import type { HttpApi } from "../../../src/http/types.ts";
import type { AccountsApi } from "../../../src/modules/accounts/api.ts";
import { InviteError, type InvitesApi } from "../../../src/modules/invites/api.ts";
import { startTestServer, type TestServer } from "../../helpers/server.ts";

const HOST = "example.com";
const OTHER = "other.example";
const SECRET = "s3cret-bootstrap-value-0123";
const DAYS_28 = 28 * 86_400_000;

let nextIp = 0;
function ip(): string {
  nextIp++;
  return `203.0.113.${nextIp}`;
}

interface Booted {
  ts: TestServer;
  invites: InvitesApi;
  get(query: string, opts?: { ip?: string; host?: string; method?: string }): Promise<Response>;
}

async function boot(opts: { dataDir?: string; index?: number; configure?: (c: Config) => void; logs?: string[] } = {}): Promise<Booted> {
  const destination = opts.logs
    ? new Writable({
        write(chunk: Buffer, _enc, done) {
          opts.logs!.push(chunk.toString("utf8"));
          done();
        },
      })
    : undefined;
  const ts = await startTestServer({
    hosts: [HOST, OTHER],
    logDestination: destination,
    configure: (c) => {
      if (opts.dataDir !== undefined) {
        c.dataDir = opts.dataDir;
        c.storage = { driver: "sqlite", path: join(opts.dataDir, "hearth.sqlite") };
      }
      if (destination) c.logLevel = "trace";
      c.http.trustedProxies = ["127.0.0.1"];
      c.invites.bootstrap = { secret: SECRET, index: opts.index ?? 0, ttlSeconds: 28 * 86_400 };
      opts.configure?.(c);
    },
  });
  const http = ts.server.modules.api<HttpApi>("http")!;
  return {
    ts,
    invites: ts.server.modules.api<InvitesApi>("invites")!,
    get: async (query, o = {}) =>
      http.app.request(`/bootstrap${query}`, { method: o.method ?? "GET", headers: { "X-Forwarded-For": o.ip ?? ip(), Host: o.host ?? HOST } }),
  };
}

/** The token in a landing page URL (…/invite/TOKEN/) or an xmpp: URI (…;preauth=TOKEN). */
function tokenOf(location: string): string {
  const m = /\/invite\/([A-Za-z0-9_-]{24})\/$/.exec(location) ?? /;preauth=([A-Za-z0-9_-]{24})$/.exec(location);
  assert.ok(m, `no token in ${location}`);
  return m[1]!;
}

function redirectOf(res: Response): string {
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("cache-control"), "no-store");
  return res.headers.get("location")!;
}

describe("I77: the bootstrap URL over restarts of one server", () => {
  let dataDir: string;
  let s: Booted | undefined;
  const logs: string[] = [];
  const tokens: string[] = [];
  let first: string;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "hearth-bootstrap-"));
  });
  after(async () => {
    await s?.ts.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const restart = async (index: number) => {
    await s?.ts.stop();
    // A fixed public address: the test ports change with each start, the links must not.
    s = await boot({ dataDir, index, logs, configure: (c) => (c.http.publicUrl = "https://chat.example.org") });
    return s;
  };

  test("a wrong or missing secret is 403 and makes nothing", async () => {
    const { get, invites } = await restart(0);
    for (const query of ["", "?token=", `?token=${SECRET.slice(0, -1)}`, `?token=${SECRET}x`, `?secret=${SECRET}`]) {
      const res = await get(query);
      assert.equal(res.status, 403, query);
      assert.equal(res.headers.get("cache-control"), "no-store");
      assert.equal(res.headers.get("location"), null);
    }
    assert.deepEqual(await invites.list(HOST), []);
  });

  test("HEAD creates nothing", async () => {
    const res = await s!.get(`?token=${SECRET}`, { method: "HEAD" });
    assert.equal(res.status, 405);
    assert.deepEqual(await s!.invites.list(HOST), []);
  });

  test("the first call is a 303 to a new admin invite's landing page (no group default on this host)", async () => {
    const before = Date.now();
    first = redirectOf(await s!.get(`?token=${SECRET}`));
    assert.match(first, /^https:\/\/chat\.example\.org\/invite\/[A-Za-z0-9_-]{24}\/$/);
    const token = tokenOf(first);
    tokens.push(token);
    const valid = await s!.invites.validate(HOST, token);
    assert.ok(valid, "the invite is live");
    assert.equal(valid.kind, "account");
    assert.deepEqual(valid.record.roles, ["admin"]);
    assert.deepEqual(valid.record.groups, []);
    assert.equal(valid.record.createdBy, "bootstrap:0");
    assert.equal(valid.record.reusable, false);
    assert.ok(Math.abs(valid.record.expires - before - DAYS_28) < 5000, "lives 28 days");
  });

  test("the same index answers with the same URL again, without a second invite", async () => {
    assert.equal(redirectOf(await s!.get(`?token=${SECRET}`)), first);
    assert.equal(redirectOf(await s!.get(`?token=${SECRET}`)), first);
    assert.equal((await s!.invites.list(HOST)).length, 1);
  });

  test("each host has its own invite", async () => {
    const other = redirectOf(await s!.get(`?token=${SECRET}`, { host: OTHER }));
    const token = tokenOf(other);
    tokens.push(token);
    assert.notEqual(token, tokens[0]);
    assert.deepEqual((await s!.invites.validate(OTHER, token))?.record.roles, ["admin"]);
    assert.equal(redirectOf(await s!.get(`?token=${SECRET}`, { host: OTHER })), other);
  });

  test("after the invite was used, and after a restart, the same index still gives the same URL and no new invite", async () => {
    const accounts = s!.ts.server.modules.api<AccountsApi>("accounts")!;
    const valid = (await s!.invites.validate(HOST, tokens[0]!))!;
    const r = await accounts.register({
      host: HOST,
      username: "boss",
      password: "a good password",
      ip: "192.0.2.1",
      via: "web",
      ...s!.invites.forRegistration(valid, { checkExpiry: true }),
    });
    assert.equal(r.ok, true);
    assert.equal((await s!.ts.server.storage.accounts.get(HOST, "boss"))?.role, "admin");
    assert.equal(redirectOf(await s!.get(`?token=${SECRET}`)), first);

    await restart(0);
    assert.equal(redirectOf(await s!.get(`?token=${SECRET}`)), first, "same URL: the token comes from the server secret");
    assert.equal(await s!.invites.validate(HOST, tokens[0]!), undefined, "the page will say it is no longer valid");
    assert.deepEqual(await s!.invites.list(HOST), []);
  });

  test("a raised index gives a new invite, in the group default when the host has one", async () => {
    await restart(1);
    assert.equal(await s!.ts.server.storage.groups.create(HOST, "default", "Everyone"), true);
    const url = redirectOf(await s!.get(`?token=${SECRET}`));
    assert.notEqual(url, first);
    const token = tokenOf(url);
    tokens.push(token);
    const valid = await s!.invites.validate(HOST, token);
    assert.ok(valid, "the new invite is live");
    assert.deepEqual(valid.record.roles, ["admin"]);
    assert.deepEqual(valid.record.groups, ["default"]);
    assert.equal(valid.record.createdBy, "bootstrap:1");
    assert.equal(redirectOf(await s!.get(`?token=${SECRET}`)), url);
  });

  test("an index lower than one already used is 410 Gone, also on a host that never had that one", async () => {
    await restart(0);
    const gone = await s!.get(`?token=${SECRET}`);
    assert.equal(gone.status, 410);
    assert.equal(gone.headers.get("location"), null);
    assert.equal(gone.headers.get("cache-control"), "no-store");
    // other.example only had index 0: the same URL as before.
    assert.equal(tokenOf(redirectOf(await s!.get(`?token=${SECRET}`, { host: OTHER }))), tokens[1]);
    assert.equal((await s!.invites.list(HOST)).length, 1, "only the index-1 invite lives");
  });

  test("the secret and the tokens are never logged; the invite is, by id", () => {
    const text = logs.join("");
    assert.ok(text.includes('"msg":"bootstrap invite created"'), "the creation is logged");
    assert.ok(text.includes("wrong or missing secret"), "refusals are logged");
    assert.equal(text.includes(SECRET), false, "secret logged");
    assert.equal(text.includes(SECRET.slice(0, -1)), false, "a wrong secret logged");
    for (const token of tokens) assert.equal(text.includes(token), false, "token logged");
  });

  test("the tokens are in neither the database nor the bootstrap record", () => {
    const files = readdirSync(dataDir).filter((f) => f.startsWith("hearth.sqlite") || f.startsWith("invites-bootstrap"));
    assert.ok(files.includes("hearth.sqlite") && files.includes("invites-bootstrap.json"), `files: ${files.join(", ")}`);
    const bytes = Buffer.concat(files.map((f) => readFileSync(join(dataDir, f))));
    assert.ok(bytes.includes("bootstrap:1"), "the scan sees the stored invites");
    assert.equal(bytes.includes(SECRET), false, "secret stored");
    for (const token of tokens) assert.equal(bytes.includes(token), false, "token stored");
  });
});

describe("I77: the bootstrap without web pages, off, and throttled", () => {
  test("without web pages the 303 goes to the xmpp: URI", async () => {
    const s = await boot({ configure: (c) => (c.http.enabled = false) });
    try {
      const uri = redirectOf(await s.get(`?token=${SECRET}`));
      assert.match(uri, /^xmpp:example\.com\?register;preauth=[A-Za-z0-9_-]{24}$/);
      assert.deepEqual((await s.invites.validate(HOST, tokenOf(uri)))?.record.roles, ["admin"]);
    } finally {
      await s.ts.stop();
    }
  });

  test("once the index's invite has been purged, the URL does not make a fresh one: 410", async () => {
    const s = await boot({ configure: (c) => (c.invites.tombstoneDays = 0) });
    try {
      const token = tokenOf(redirectOf(await s.get(`?token=${SECRET}`)));
      assert.equal(await s.invites.revoke(HOST, token), true);
      await new Promise((resolve) => setTimeout(resolve, 5));
      assert.ok((await s.invites.purge()) >= 1, "the revoked invite is purged");
      assert.equal(await s.invites.find(HOST, token), undefined);
      const gone = await s.get(`?token=${SECRET}`);
      assert.equal(gone.status, 410);
      assert.equal(await s.invites.find(HOST, token), undefined, "not made again");
      assert.deepEqual(await s.invites.list(HOST), []);
    } finally {
      await s.ts.stop();
    }
  });

  test("with an empty secret the route does not exist", async () => {
    const ts = await startTestServer();
    try {
      const http = ts.server.modules.api<HttpApi>("http")!;
      assert.equal((await http.app.request("/bootstrap?token=")).status, 404);
      assert.equal((await http.app.request(`/bootstrap?token=${SECRET}`)).status, 404);
    } finally {
      await ts.stop();
    }
  });

  test("wrong secrets count against the shared per-IP token throttle: then 429, even with the right secret", async () => {
    const s = await boot({ configure: (c) => (c.invites.tokenFailures = { max: 3, windowSeconds: 600 }) });
    try {
      const http = s.ts.server.modules.api<HttpApi>("http")!;
      const attacker = ip();
      // A failed invite page counts into the same throttle.
      const page = await http.app.request("/invite/not-a-real-token/", { headers: { "X-Forwarded-For": attacker } });
      assert.equal(page.status, 404);
      for (let i = 0; i < 2; i++) assert.equal((await s.get(`?token=guess${i}`, { ip: attacker })).status, 403);
      const blocked = await s.get(`?token=${SECRET}`, { ip: attacker });
      assert.equal(blocked.status, 429);
      assert.equal(blocked.headers.get("retry-after"), "600");
      assert.equal(blocked.headers.get("location"), null);
      assert.deepEqual(await s.invites.list(HOST), [], "nothing made for a blocked address");
      redirectOf(await s.get(`?token=${SECRET}`, { ip: ip() }));
    } finally {
      await s.ts.stop();
    }
  });

  test("the model takes a given token only in the shape of a generated one, and only once", async () => {
    const s = await boot();
    try {
      const creator = { by: "cli", isAdmin: true };
      const refused = (token: string) =>
        assert.rejects(s.invites.createAccount({ host: HOST, creator, token }), (e: unknown) => e instanceof InviteError && e.code === "bad-token");
      await refused("short");
      await refused("A".repeat(23) + "=");
      const token = "abcdefghijklmnopqrstuv-_";
      const created = await s.invites.createAccount({ host: HOST, creator, token });
      assert.equal(created.token, token);
      assert.equal((await s.invites.validate(HOST, token))?.record.id, created.invite.id);
      await refused(token);
    } finally {
      await s.ts.stop();
    }
  });
});
