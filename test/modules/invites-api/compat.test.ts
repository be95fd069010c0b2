// invites.md §12, test cases I73 and I74: Prosody's mod_invites_api route, GET /invites_api.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { InvitesApi } from "../../../src/modules/invites/api.ts";
import type { CreatedApiKey } from "../../../src/modules/invites-api/keys.ts";
import { runCli } from "../../cli/helpers.ts";
import { HOST, OTHER, P, problemOf, startApiServer, type ApiServer } from "./support.ts";

/** The token in a landing page URL (…/invite/TOKEN/) or an xmpp: URI (…preauth=TOKEN). */
function tokenIn(location: string): string {
  const m = /\/invite\/([A-Za-z0-9_-]+)\/$/.exec(location) ?? /preauth=([A-Za-z0-9_-]+)/.exec(location);
  assert.ok(m, `no token in ${location}`);
  return m[1]!;
}

describe("GET /invites_api (Prosody mod_invites_api)", () => {
  let s: ApiServer;
  let key: CreatedApiKey;
  let invites: InvitesApi;
  let prosodyForm: string;
  before(async () => {
    s = await startApiServer();
    key = await s.key({ name: "portal", hosts: [HOST] });
    prosodyForm = key.credential.replace(".", "/");
    invites = s.ts.server.modules.api<InvitesApi>("invites")!;
  });
  after(() => s.stop());

  test("I73: no key → 403; wrong secret for a valid key id → 403", async () => {
    const none = await s.call("GET", "/invites_api");
    assert.equal(none.status, 403);
    assert.equal((await problemOf(none)).type, P("key-refused"));
    const [id, secret] = prosodyForm.split("/") as [string, string];
    const wrong = `${id}/${secret.slice(0, -2)}${secret.endsWith("AA") ? "BB" : "AA"}`;
    const res = await s.call("GET", "/invites_api", { key: wrong });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get("location"), null);
    const expired = await s.key({ expires: Date.now() - 1 }, Date.now() - 60_000);
    assert.equal((await s.call("GET", "/invites_api", { key: expired.credential })).status, 403);
  });

  test("I73: a valid key → 201, empty body, Location of a new account invite created by api:<id>", async () => {
    const res = await s.call("GET", "/invites_api", { key: prosodyForm });
    assert.equal(res.status, 201);
    assert.equal(await res.text(), "");
    assert.equal(res.headers.get("cache-control"), "no-store");
    const location = res.headers.get("location")!;
    const base = s.http.publicBaseUrl(HOST);
    assert.ok(location.startsWith(`${base}/invite/`), location);
    const valid = await invites.validate(HOST, tokenIn(location));
    assert.ok(valid, "the Location's token is a live invite");
    assert.equal(valid.kind, "account");
    assert.equal(valid.record.createdBy, `api:${key.record.id}`);
    assert.equal(valid.record.host, HOST);
    // Our own separator works here too.
    assert.equal((await s.call("GET", "/invites_api", { key: key.credential })).status, 201);
  });

  test("I73: redirect=true → 303 to the invite", async () => {
    const res = await s.call("GET", "/invites_api?redirect=true", { key: prosodyForm });
    assert.equal(res.status, 303);
    assert.ok(await invites.validate(HOST, tokenIn(res.headers.get("location")!)));
    assert.equal((await s.call("GET", "/invites_api?redirect=false", { key: prosodyForm })).status, 201);
  });

  test("HEAD with a valid key creates nothing (405)", async () => {
    const before = (await invites.list(HOST)).length;
    const res = await s.call("HEAD", "/invites_api", { key: prosodyForm });
    assert.equal(res.status, 405);
    assert.equal((await invites.list(HOST)).length, before);
  });

  test("without a landing page the Location is the xmpp: URI", async () => {
    const noWeb = await startApiServer({ configure: (c) => (c.http.enabled = false) });
    try {
      const k = await noWeb.key();
      const res = await noWeb.call("GET", "/invites_api", { key: k.credential });
      assert.equal(res.status, 201);
      assert.match(res.headers.get("location")!, /^xmpp:example\.com\?register;preauth=[A-Za-z0-9_-]{24}/);
    } finally {
      await noWeb.stop();
    }
  });

  test("the key in the query string is not accepted", async () => {
    const res = await s.call("GET", `/invites_api?key=${encodeURIComponent(prosodyForm)}`);
    assert.equal(res.status, 403);
  });

  test("scope: a key that may not create account invites, or not on this host, gets 403", async () => {
    const contactOnly = await s.key({ kinds: ["contact"] });
    const res = await s.call("GET", "/invites_api", { key: contactOnly.credential });
    assert.equal(res.status, 403);
    assert.equal((await problemOf(res)).type, P("forbidden"));
    const twoHosts = await s.key({ hosts: [HOST, OTHER] });
    const otherHost = await s.call("GET", "/invites_api", { key: key.credential, headers: { Host: OTHER } });
    assert.equal(otherHost.status, 201, "a one-host key makes invites on its host whatever the Host header");
    assert.equal((await s.call("GET", "/invites_api", { key: twoHosts.credential, headers: { Host: OTHER } })).status, 201);
    const notHere = await s.key({ hosts: [OTHER, "gone.example"] });
    const refused = await s.call("GET", "/invites_api", { key: notHere.credential, headers: { Host: HOST } });
    assert.equal(refused.status, 403);
    assert.equal((await problemOf(refused)).type, P("forbidden"));
    const otherOnly = await s.key({ hosts: [OTHER] });
    assert.equal((await s.call("GET", "/invites_api", { key: otherOnly.credential })).status, 201);
  });

  test("I74: a key revoked with `hearth api-key revoke` is refused from then on (403 here, 401 under /api/v1)", async () => {
    const victim = await s.key({ name: "to revoke" });
    assert.equal((await s.call("GET", "/invites_api", { key: victim.credential })).status, 201);
    const dir = mkdtempSync(join(tmpdir(), "hearth-api-cli-"));
    try {
      const config = join(dir, "hearth.toml");
      writeFileSync(
        config,
        [`data_dir = ${JSON.stringify(s.ts.dataDir)}`, "", "[[hosts]]", `domain = "${HOST}"`, "", "[http]", "enabled = false", ""].join("\n"),
      );
      const r = await runCli(["api-key", "revoke", victim.record.id, "--config", config]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), `revoked API key ${victim.record.id}`);
      const again = await runCli(["api-key", "revoke", victim.record.id, "--config", config]);
      assert.notEqual(again.code, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal((await s.call("GET", "/invites_api", { key: victim.credential })).status, 403);
    assert.equal((await s.call("GET", "/api/v1/invites", { key: victim.credential })).status, 401);
    assert.equal((await s.call("GET", "/invites_api", { key: key.credential })).status, 201, "other keys still work");
  });
});
