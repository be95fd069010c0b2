// The invite landing and setup pages (invites.md §10; test-cases.md J78–J85, K93): every route, status and header.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import type { HttpApi } from "../../src/http/types.ts";
import type { CreatedInvite, InvitesApi } from "../../src/modules/invites/api.ts";
import type { RegisterAppsApi } from "../../src/modules/register-apps/api.ts";
import { catalogue } from "../../src/http/i18n/index.ts";

const HOST = "example.com";
const CLI = { by: "cli", isAdmin: true };
const EVIL_SITE = `<b>Evil</b> "onload=alert(1)`;
const EVIL_APP = "<script>alert(1)</script>";

let nextIp = 0;
/** A fresh client address for each request unless one is given: the token-failure throttle counts per address. */
function ip(): string {
  nextIp++;
  return `198.51.${Math.floor(nextIp / 250) % 250}.${(nextIp % 250) + 1}`;
}

function decode(s: string): string {
  return s.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
}

/** The `<li>` of one app card. */
function card(html: string, id: string): string | undefined {
  const start = html.indexOf(`data-app="${id}"`);
  if (start < 0) return undefined;
  return html.slice(start, html.indexOf("</li>", start));
}

function actionOf(html: string, id: string): { kind: string; href: string } {
  const c = card(html, id);
  assert.ok(c, `no card for ${id}`);
  const m = /<a class="button" href="([^"]*)" data-action="([a-z-]+)"/.exec(c);
  assert.ok(m, `no action on the card of ${id}`);
  return { href: decode(m[1]!), kind: m[2]! };
}

function h1(html: string): string {
  return decode(/<h1>(.*?)<\/h1>/s.exec(html)?.[1] ?? "");
}

describe("invite landing pages", () => {
  let ts: TestServer;
  let http: HttpApi;
  let invites: InvitesApi;
  let account: CreatedInvite;

  before(async () => {
    ts = await startTestServer({
      hosts: [HOST, "other.example"],
      configure: (c) => {
        c.http.trustedProxies = ["127.0.0.1"];
        c.http.rateLimit = { max: 100_000, windowSeconds: 60 };
        c.http.siteName = EVIL_SITE;
        c.apps = {
          show: [],
          hide: ["renga"],
          extra: [
            {
              id: "evil",
              name: EVIL_APP,
              text: `"onload="alert(2)`,
              image: "",
              link: "https://evil.example/?a=1&b=<2>",
              platforms: ["web"],
              supportsPreauthUri: true,
              magicLinkFormat: "",
              downloadText: "<img src=x onerror=alert(3)>",
              downloads: [{ text: "<i>get</i>", url: "https://evil.example/dl" }],
              setupText: "",
            },
          ],
        };
      },
    });
    http = ts.server.modules.api<HttpApi>("http")!;
    invites = ts.server.modules.api<InvitesApi>("invites")!;
    await ts.createUser("alice");
    await ts.createUser("bob");
    await ts.server.storage.groups.create(HOST, "family", "Family");
    account = await invites.createAccount({ host: HOST, creator: CLI, note: "<script>note()</script>" });
  });
  after(() => ts.stop());

  const get = (path: string, opts: { ip?: string; lang?: string; host?: string } = {}) =>
    http.app.request(path, {
      headers: {
        "X-Forwarded-For": opts.ip ?? ip(),
        ...(opts.lang ? { "Accept-Language": opts.lang } : {}),
        ...(opts.host ? { Host: opts.host } : {}),
      },
    });

  describe("J78: an account invite", () => {
    let res: Response;
    let html: string;
    before(async () => {
      res = await get(`/invite/${account.token}/`);
      html = await res.text();
    });

    test("200 with the kind's wording naming the site, never the note", () => {
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "text/html; charset=UTF-8");
      assert.equal(h1(html), `You have been invited to chat on ${EVIL_SITE}`);
      assert.match(html, /create your account on example\.com/);
      assert.ok(!html.includes("note()"), "the note is for the creator, not the page");
    });

    test("the xmpp: URI in <link rel=alternate>, in the Link header and on the open-in-app button", () => {
      const uri = `xmpp:${HOST}?register;preauth=${account.token}`;
      assert.equal(account.uri, uri);
      assert.equal(res.headers.get("link"), `<${uri}>; rel="alternate"`);
      assert.ok(html.includes(`<link rel="alternate" href="${uri}"/>`));
      assert.ok(html.indexOf(`<link rel="alternate"`) < html.indexOf("</head>"));
      assert.ok(html.includes(`href="${uri}" data-action="open"`));
    });

    test("a card for every app after [apps] hide, the hidden one absent", () => {
      const apps = ts.server.modules.api<RegisterAppsApi>("register-apps")!.list();
      assert.ok(apps.length >= 10);
      for (const app of apps) assert.ok(card(html, app.id), `card for ${app.id}`);
      assert.equal(card(html, "renga"), undefined);
      assert.ok(html.includes("<h3>Conversations</h3>") && html.includes("<h3>Gajim</h3>"));
      assert.ok(html.includes(`data-app-list=""`) && html.includes(`data-platforms="ios macos" data-app="monal"`));
    });

    test("a link to register on the web instead", () => {
      assert.ok(html.includes(`<a href="/register?t=${account.token}" data-action="web-register">Register on the web instead</a>`));
    });

    test("a server-made QR code as inline SVG, styled by attributes only", () => {
      const svg = /<div class="qr" data-qr="">(<svg[\s\S]*?<\/svg>)<\/div>/.exec(html)?.[1];
      assert.ok(svg, "inline svg");
      assert.match(svg, /^<svg role="img" aria-label="QR code of this page's address" xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(svg, /<path fill="#ffffff"/);
      assert.doesNotMatch(html, /\sstyle=/, "no style attributes: the CSP has no 'unsafe-inline'");
    });

    test("J85: never cached, never referred", () => {
      assert.equal(res.headers.get("cache-control"), "no-store");
      assert.equal(res.headers.get("referrer-policy"), "no-referrer");
      assert.ok(html.includes(`<meta name="referrer" content="no-referrer"/>`));
    });

    test("the Prosody-style /invite?TOKEN gives the same page", async () => {
      const q = await get(`/invite?${account.token}`);
      assert.equal(q.status, 200);
      assert.equal(await q.text(), html);
      assert.equal(q.headers.get("link"), res.headers.get("link"));
      assert.equal((await get(`/invite/${account.token}`)).status, 200, "without the trailing slash too");
    });

    test("the page speaks the visitor's language", async () => {
      const de = await (await get(`/invite/${account.token}/`, { lang: "de-AT,de;q=0.9,en;q=0.5" })).text();
      assert.match(de, /<html lang="de">/);
      assert.equal(h1(de), `Du wurdest zum Chatten auf ${EVIL_SITE} eingeladen`);
      assert.ok(de.includes(">Stattdessen im Web registrieren</a>"));
      assert.ok(de.includes("Eine beliebte, einfache App für Android"), "built-in app texts are translated");
    });
  });

  test("J83: each app's button follows its kind: magic link, setup page, web registration", async () => {
    const html = await (await get(`/invite/${account.token}/`)).text();
    const uri = encodeURIComponent(account.uri);
    assert.deepEqual(actionOf(html, "conversations"), {
      kind: "magic",
      href: `https://play.google.com/store/apps/details?id=eu.siacs.conversations&referrer=${uri}`,
    });
    assert.equal(actionOf(html, "yaxim").href, `https://play.google.com/store/apps/details?id=org.yaxim.androidclient&referrer=${uri}`);
    assert.ok(actionOf(html, "conversations").href.includes("xmpp%3Aexample.com%3Fregister%3Bpreauth%3D"));
    assert.deepEqual(actionOf(html, "monal"), { kind: "setup", href: `/invite/${account.token}/setup/monal` });
    assert.deepEqual(actionOf(html, "siskin-im"), { kind: "setup", href: `/invite/${account.token}/setup/siskin-im` });
    assert.deepEqual(actionOf(html, "gajim"), { kind: "register", href: `/register?t=${account.token}&c=gajim` });
    assert.deepEqual(actionOf(html, "movim"), { kind: "register", href: `/register?t=${account.token}&c=movim` });
  });

  describe("wording per kind", () => {
    test("group invite", async () => {
      const g = await invites.createAccount({ host: HOST, creator: CLI, groups: ["family"], reusable: true });
      const html = await (await get(`/invite/${g.token}/`)).text();
      assert.equal(h1(html), `You have been invited to join a group on ${EVIL_SITE}`);
      assert.ok(card(html, "gajim"));
    });

    test("account and contact: the inviter's JID, and registration", async () => {
      const c = await invites.createContact({ host: HOST, creator: CLI, inviter: "alice", allowRegistration: true });
      const res = await get(`/invite/${c.token}/`);
      const html = await res.text();
      assert.equal(h1(html), `alice@example.com has invited you to chat on ${EVIL_SITE}`);
      assert.equal(res.headers.get("link"), `<xmpp:alice@example.com?roster;preauth=${c.token};ibr=y>; rel="alternate"`);
      assert.deepEqual(actionOf(html, "gajim"), { kind: "register", href: `/register?t=${c.token}&c=gajim` });
      assert.ok(html.includes(`/register?t=${c.token}" data-action="web-register"`));
    });

    test("contact only: add the inviter from your app; no registration anywhere", async () => {
      const c = await invites.createContact({ host: HOST, creator: CLI, inviter: "alice", allowRegistration: false });
      const res = await get(`/invite?${c.token}`);
      const html = await res.text();
      assert.equal(res.status, 200);
      assert.equal(h1(html), "alice@example.com has invited you to chat");
      const uri = `xmpp:alice@example.com?roster;preauth=${c.token}`;
      assert.ok(html.includes(`<a class="button" href="${uri}" data-action="open">Add alice@example.com in your app</a>`));
      assert.ok(!html.includes("/register"), "no registration link");
      assert.deepEqual(actionOf(html, "gajim"), { kind: "website", href: "https://gajim.org/" });
      assert.deepEqual(actionOf(html, "monal"), { kind: "setup", href: `/invite/${c.token}/setup/monal` });
      assert.equal(actionOf(html, "conversations").href, `https://play.google.com/store/apps/details?id=eu.siacs.conversations&referrer=${encodeURIComponent(uri)}`);
      const setup = await (await get(`/invite/${c.token}/setup/monal`)).text();
      assert.ok(setup.includes(`href="${uri}" data-action="accept">Add alice@example.com using Monal</a>`));
    });

    test("password reset: choose a new password, through the reset form", async () => {
      const r = await invites.createReset({ host: HOST, creator: CLI, username: "bob" });
      const html = await (await get(`/invite/${r.token}/`)).text();
      assert.equal(h1(html), "Reset your password");
      assert.ok(html.includes(`This link lets you choose a new password for bob@example.com on ${EVIL_SITE.replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}.`));
      assert.ok(html.includes(`<a class="button" href="/register?t=${r.token}" data-action="reset">Choose a new password</a>`));
      assert.ok(html.includes(`href="xmpp:bob@example.com?register;preauth=${r.token}" data-action="open"`));
      assert.ok(!html.includes("data-app-list"), "no app list");
    });
  });

  describe("setup page (J84)", () => {
    test("step 1 installs, step 2 accepts the invite in the app", async () => {
      const res = await get(`/invite/${account.token}/setup/conversations`);
      const html = await res.text();
      assert.equal(res.status, 200);
      assert.equal(h1(html), `Join ${EVIL_SITE} with Conversations`);
      assert.ok(html.includes("Step 1: Install Conversations"));
      assert.ok(html.includes(`href="https://f-droid.org/packages/eu.siacs.conversations/" rel="noopener noreferrer" data-action="download">F-Droid</a>`));
      assert.ok(html.includes(`<a class="button" href="${account.uri}" data-action="accept">Accept invite using Conversations</a>`));
      assert.equal(res.headers.get("link"), `<${account.uri}>; rel="alternate"`);
      assert.equal(res.headers.get("cache-control"), "no-store");
      assert.equal(res.headers.get("referrer-policy"), "no-referrer");
    });

    test("the Prosody-style /invite/setup/APP?TOKEN works too", async () => {
      const res = await get(`/invite/setup/monal?${account.token}`);
      assert.equal(res.status, 200);
      assert.equal(h1(await res.text()), `Join ${EVIL_SITE} with Monal`);
    });

    test("an unknown or hidden app is 404, whatever the token", async () => {
      for (const path of [`/invite/${account.token}/setup/unknown-app`, `/invite/setup/unknown-app?${account.token}`, `/invite/${account.token}/setup/renga`]) {
        const res = await get(path);
        assert.equal(res.status, 404, path);
        assert.equal(h1(await res.text()), "Not found");
        assert.equal(res.headers.get("cache-control"), "no-store");
      }
    });

    test("a known app with a bad token gets the invalid-invite page", async () => {
      const res = await get(`/invite/nope-nope-nope-nope-nope/setup/monal`);
      assert.equal(res.status, 404);
      assert.equal(h1(await res.text()), "This invite is no longer valid");
    });
  });

  test("J79: unknown, used, expired, revoked, malformed, prefix and id all get one identical 404", async () => {
    const used = await invites.createAccount({ host: HOST, creator: CLI });
    assert.ok(await ts.server.storage.invites.consume(HOST, used.invite.tokenHash, "someone@example.com", Date.now(), true));
    const revoked = await invites.createAccount({ host: HOST, creator: CLI });
    assert.equal(await invites.revoke(HOST, revoked.token), true);
    const expired = await invites.createAccount({ host: HOST, creator: CLI, ttlSeconds: 0.05 });
    const contactUsed = await invites.createContact({ host: HOST, creator: CLI, inviter: "alice", allowRegistration: false });
    assert.ok(await ts.server.storage.invites.consume(HOST, contactUsed.invite.tokenHash, "x@elsewhere.example", Date.now(), true));
    await new Promise((r) => setTimeout(r, 120));
    const paths = [
      "/invite/AAAAAAAAAAAAAAAAAAAAAAAA/",
      `/invite?${used.token}`,
      `/invite/${used.token}/`,
      `/invite/${revoked.token}/`,
      `/invite/${expired.token}/`,
      `/invite/${contactUsed.token}/`,
      `/invite/${account.token.slice(0, 12)}/`,
      `/invite/${account.invite.id}/`,
      `/invite/${account.invite.id.slice(0, 8)}/`,
      "/invite/%3Cscript%3E%20x/",
      `/invite/${"x".repeat(300)}/`,
      "/invite?",
      "/invite",
    ];
    const first = await get(paths[0]!);
    const body = await first.text();
    assert.equal(first.status, 404);
    assert.equal(h1(body), "This invite is no longer valid");
    const headers = (r: Response) => [...r.headers.entries()].filter(([k]) => k !== "date").sort();
    for (const p of paths.slice(1)) {
      const res = await get(p);
      assert.equal(res.status, 404, p);
      assert.equal(await res.text(), body, p);
      assert.deepEqual(headers(res), headers(first), p);
    }
    assert.equal(first.headers.get("cache-control"), "no-store");
    assert.equal(first.headers.get("link"), null);
  });

  test("K93: failed tokens from one address end in 429, for valid tokens too; other addresses are unaffected", async () => {
    const from = "203.0.113.77";
    const { max } = ts.server.config.invites.tokenFailures;
    for (let i = 0; i < max; i++) assert.equal((await get(`/invite/guess-${i}-xxxxxxxxxxxxxxx/`, { ip: from })).status, 404);
    const blocked = await get(`/invite/guess-last-xxxxxxxxxxxxxxx/`, { ip: from });
    assert.equal(blocked.status, 429);
    assert.equal(h1(await blocked.text()), "Too many requests");
    assert.ok(Number(blocked.headers.get("retry-after")) >= 1);
    assert.equal(blocked.headers.get("cache-control"), "no-store");
    assert.equal((await get(`/invite/${account.token}/`, { ip: from })).status, 429, "blocked addresses are not looked up");
    assert.equal((await get(`/invite/${account.token}/setup/monal`, { ip: from })).status, 429);
    assert.equal((await get(`/invite/${account.token}/`, { ip: "203.0.113.78" })).status, 200);
  });

  test("J80: site name and app config render as text; no inline script or style; CSP without unsafe-inline", async () => {
    const res = await get(`/invite/${account.token}/`);
    const html = await res.text();
    assert.ok(!html.includes(EVIL_APP), "the app name is escaped");
    assert.ok(html.includes("<h3>&lt;script&gt;alert(1)&lt;/script&gt;</h3>"));
    assert.ok(!html.includes("<b>Evil</b>"));
    assert.ok(html.includes(`<span class="site-name">&lt;b&gt;Evil&lt;/b&gt; &quot;onload=alert(1)</span>`));
    assert.ok(!/"onload=/.test(html.replace(/&quot;onload=/g, "")), "no attribute breaks out");
    assert.ok(html.includes("<p>&quot;onload=&quot;alert(2)</p>"));
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc="\/static\/hearth\.js")/, "the only script is our file");
    assert.doesNotMatch(html, /\son[a-z]+=/i, "no event handler attributes");
    const csp = res.headers.get("content-security-policy")!;
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /style-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);

    const setup = await (await get(`/invite/${account.token}/setup/evil`)).text();
    assert.ok(!setup.includes("<img src=x") && setup.includes("&lt;img src=x onerror=alert(3)&gt;"));
    assert.ok(setup.includes(">&lt;i&gt;get&lt;/i&gt;</a>"));
    assert.ok(!setup.includes(EVIL_APP));
    assert.equal(actionOf(html, "evil").href, `/invite/${account.token}/setup/evil`);
  });

  test("an invite of another host is found through a shared public address", async () => {
    const other = await invites.createAccount({ host: "other.example", creator: CLI });
    const res = await get(`/invite/${other.token}/`, { host: "example.com" });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /create your account on other\.example/);
  });

  test("the default landing URL is this server's /invite/TOKEN/, and it serves the page", async () => {
    assert.equal(account.landingPage, `${http.publicBaseUrl(HOST)}/invite/${account.token}/`);
    assert.equal(invites.landingPageFor(account.invite, account.token), account.landingPage);
    const path = new URL(account.landingPage!).pathname;
    assert.equal((await get(path)).status, 200);
  });

  test("every message exists in English and German", () => {
    const en = Object.keys(catalogue("en"));
    const de = Object.keys(catalogue("de"));
    assert.deepEqual(en.filter((k) => !de.includes(k)), [], "missing in German");
    assert.deepEqual(de.filter((k) => !en.includes(k)), [], "missing in English");
    for (const prefix of ["invite.", "setup.", "app.", "platform."]) assert.ok(en.some((k) => k.startsWith(prefix)), prefix);
  });
});
