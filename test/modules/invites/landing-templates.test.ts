// test-cases.md B11–B15: which invites get a landing page, and how page_url templates are filled.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Config } from "../../../src/core/config/index.ts";
import type { InvitesApi } from "../../../src/modules/invites/api.ts";
import { startTestServer, type TestServer } from "../../helpers/server.ts";

const CLI = { by: "cli", isAdmin: true };

async function withServer(edit: (c: Config) => void, fn: (invites: InvitesApi, ts: TestServer) => Promise<void>): Promise<void> {
  const ts = await startTestServer({ configure: edit });
  try {
    await ts.createUser("romeo");
    await ts.createUser("alice");
    await fn(ts.server.modules.api<InvitesApi>("invites")!, ts);
  } finally {
    await ts.stop();
  }
}

describe("landing pages by template (B)", () => {
  test("B11: an account invite gets page_url with its token URL-encoded", () =>
    withServer(
      (c) => (c.invites.pageUrl = "https://example.com/invite/{invite.token}/"),
      async (invites) => {
        const a = await invites.createAccount({ host: "example.com", creator: CLI });
        assert.equal(a.landingPage, `https://example.com/invite/${encodeURIComponent(a.token)}/`);
      },
    ));

  test("B12: a reset invite gets a page only when password-reset is a supported kind", async () => {
    await withServer(
      (c) => {
        c.invites.pageUrl = "https://example.com/invite/{token}/";
        c.invites.pageSupports = ["account", "contact", "account-and-contact"];
      },
      async (invites) => {
        const r = await invites.createReset({ host: "example.com", creator: CLI, username: "alice" });
        assert.equal(r.landingPage, undefined);
        const a = await invites.createAccount({ host: "example.com", creator: CLI });
        assert.ok(a.landingPage);
      },
    );
    await withServer(
      (c) => {
        c.invites.pageUrl = "https://example.com/invite/{token}/";
        c.invites.pageSupports = ["account", "password-reset"];
      },
      async (invites) => {
        const r = await invites.createReset({ host: "example.com", creator: CLI, username: "alice" });
        assert.equal(r.landingPage, `https://example.com/invite/${r.token}/`);
      },
    );
  });

  test("B13: 'contact' stands for contact-only; account-and-contact is in the default set", () =>
    withServer(
      (c) => {
        c.invites.pageUrl = "https://example.com/invite/{token}/";
        c.invites.pageSupports = ["contact"];
      },
      async (invites) => {
        const only = await invites.createContact({ host: "example.com", creator: CLI, inviter: "romeo", allowRegistration: false });
        assert.equal(only.landingPage, `https://example.com/invite/${only.token}/`);
        const withIbr = await invites.createContact({ host: "example.com", creator: CLI, inviter: "romeo", allowRegistration: true });
        assert.equal(withIbr.landingPage, undefined, "account-and-contact is not in this set");
      },
    ).then(() =>
      withServer(
        (c) => (c.invites.pageUrl = "https://example.com/invite/{token}/"),
        async (invites, ts) => {
          assert.ok(ts.server.config.invites.pageSupports.includes("account-and-contact"));
          const withIbr = await invites.createContact({ host: "example.com", creator: CLI, inviter: "romeo", allowRegistration: true });
          assert.ok(withIbr.landingPage);
        },
      ),
    ));

  test("B14: {invite.uri|noscheme} puts the URI without its scheme in the page's fragment", () =>
    withServer(
      (c) => (c.invites.pageUrl = "https://xmpp.link/#{invite.uri|noscheme}"),
      async (invites) => {
        const c = await invites.createContact({ host: "example.com", creator: CLI, inviter: "romeo", allowRegistration: false });
        assert.equal(c.landingPage, `https://xmpp.link/#romeo@example.com?roster;preauth=${c.token}`);
      },
    ));

  test("B15: an invite-created handler's groups are kept; its change of the token is not", () =>
    withServer(
      () => undefined,
      async (invites, ts) => {
        await ts.server.storage.groups.create("example.com", "family", "Family");
        const off = ts.server.events.on("invite-created", (ev) => {
          ev.invite.groups = [...ev.invite.groups, "family"];
          ev.invite.tokenHash = "0".repeat(64);
          ev.invite.expires = 1;
        });
        try {
          const a = await invites.createAccount({ host: "example.com", creator: CLI });
          const stored = await invites.find("example.com", a.token);
          assert.ok(stored, "still found by its real token");
          assert.deepEqual(stored.groups, ["family"]);
          assert.ok(stored.expires > Date.now());
        } finally {
          off();
        }
      },
    ));
});
