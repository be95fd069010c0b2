// The app catalogue (invites.md §17; test-cases.md J81): built-in apps, [apps] show/hide/extra, and config checks.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ConfigError, parseConfig, type AppsConfig } from "../../../src/core/config/index.ts";
import { appIdFromName } from "../../../src/core/config/schema-apps.ts";
import { magicLink } from "../../../src/modules/register-apps/app.ts";
import { BUILTIN_APPS } from "../../../src/modules/register-apps/builtin.ts";
import { buildCatalogue } from "../../../src/modules/register-apps/catalogue.ts";

const STATIC = fileURLToPath(new URL("../../../src/http/static/", import.meta.url));

function apps(raw: unknown): AppsConfig {
  return parseConfig({ apps: raw }, { baseDir: "/" }).apps;
}

function problems(raw: unknown): string[] {
  try {
    parseConfig({ apps: raw }, { baseDir: "/" });
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.issues;
  }
  return [];
}

describe("built-in apps", () => {
  test("today's clients, each id once, with https links and a logo of our own", () => {
    const ids = BUILTIN_APPS.map((a) => a.id);
    assert.deepEqual(new Set(ids).size, ids.length);
    for (const id of ["conversations", "snikket-android", "snikket-ios", "monal", "siskin-im", "gajim", "dino", "yaxim", "beagle-im", "renga", "movim"]) {
      assert.ok(ids.includes(id), id);
    }
    for (const app of BUILTIN_APPS) {
      assert.match(app.link, /^https:\/\//, app.id);
      for (const d of app.downloads) assert.match(d.url, /^https:\/\//, app.id);
      assert.equal(app.image, `/static/apps/${app.id}.svg`);
      const svg = readFileSync(`${STATIC}apps/${app.id}.svg`, "utf8");
      assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.doesNotMatch(svg, /style=|<script|href=/, `${app.id}.svg: attributes only, nothing external`);
      assert.ok(app.platforms.length > 0 && app.text.length > 0);
      assert.equal(app.builtin, true);
    }
    assert.ok(existsSync(`${STATIC}apps/default.svg`));
  });

  test("what the clients reference says: preauth URIs, Play Store magic links, platforms", () => {
    const get = (id: string) => BUILTIN_APPS.find((a) => a.id === id)!;
    assert.equal(get("conversations").magicLinkFormat, "https://play.google.com/store/apps/details?id=eu.siacs.conversations&referrer={uri}");
    assert.equal(magicLink(get("conversations"), "xmpp:example.com?register;preauth=T"),
      "https://play.google.com/store/apps/details?id=eu.siacs.conversations&referrer=xmpp%3Aexample.com%3Fregister%3Bpreauth%3DT");
    for (const id of ["conversations", "snikket-android", "snikket-ios", "monal", "siskin-im", "yaxim"]) assert.equal(get(id).supportsPreauthUri, true, id);
    for (const id of ["gajim", "dino", "beagle-im", "renga", "movim"]) assert.equal(get(id).supportsPreauthUri, false, id);
    assert.deepEqual(get("monal").platforms, ["ios", "macos"]);
    assert.deepEqual(get("movim").platforms, ["web"]);
    assert.equal(magicLink(get("gajim"), "xmpp:x"), undefined);
  });
});

describe("[apps] show, hide and extra", () => {
  test("defaults: every built-in app, in order", () => {
    const c = buildCatalogue(apps({}));
    assert.deepEqual(c.apps.map((a) => a.id), BUILTIN_APPS.map((a) => a.id));
    assert.deepEqual(c.unknownIds, []);
  });

  test("show keeps only the named apps, hide drops apps; unknown ids are reported", () => {
    assert.deepEqual(buildCatalogue(apps({ show: ["gajim", "conversations", "nope"] })).apps.map((a) => a.id), ["conversations", "gajim"]);
    const c = buildCatalogue(apps({ hide: ["gajim", "dino", "ghost"] }));
    assert.ok(!c.apps.some((a) => a.id === "gajim" || a.id === "dino"));
    assert.equal(c.apps.length, BUILTIN_APPS.length - 2);
    assert.deepEqual(c.unknownIds, ["ghost"]);
  });

  test("extra apps are added at the end; one with a built-in id replaces it in place, keeping its logo", () => {
    const c = buildCatalogue(
      apps({
        extra: [
          { name: "Cheogram", link: "https://cheogram.com/", platforms: ["Android"], supports_preauth_uri: true, downloads: [{ text: "F-Droid", url: "https://f-droid.org/packages/com.cheogram.android/" }] },
          { id: "gajim", name: "Gajim (our build)", link: "http://intranet.example/gajim", platforms: ["Windows"] },
        ],
      }),
    );
    const ids = c.apps.map((a) => a.id);
    assert.equal(ids.at(-1), "cheogram");
    assert.equal(ids.indexOf("gajim"), BUILTIN_APPS.findIndex((a) => a.id === "gajim"));
    const cheogram = c.apps.at(-1)!;
    assert.deepEqual(cheogram.platforms, ["android"]);
    assert.equal(cheogram.image, "/static/apps/default.svg");
    assert.equal(cheogram.builtin, false);
    assert.equal(cheogram.magicLinkFormat, undefined);
    const gajim = c.apps.find((a) => a.id === "gajim")!;
    assert.equal(gajim.name, "Gajim (our build)");
    assert.equal(gajim.image, "/static/apps/gajim.svg");
    assert.deepEqual(gajim.downloads, []);
  });

  test("ids are made from names as Prosody does", () => {
    assert.equal(appIdFromName("Siskin IM"), "siskin-im");
    assert.equal(appIdFromName("<script>alert(1)</script>"), "script-alert-1-script");
    assert.equal(apps({ extra: [{ name: "My  Client!", link: "https://x.example/" }] }).extra[0]!.id, "my-client");
  });
});

describe("J81: [apps] is checked at load, naming the key", () => {
  test("javascript: and data: links, download URLs and magic links are refused", () => {
    assert.deepEqual(problems({ extra: [{ name: "X", link: "javascript:alert(1)" }] }), [
      "apps.extra[0].link: must be an https: or http: URL; javascript: is not allowed",
    ]);
    assert.deepEqual(problems({ extra: [{ name: "X", link: "https://x.example/", downloads: [{ text: "d", url: "data:text/html,<script>1</script>" }] }] }), [
      "apps.extra[0].downloads[0].url: must be an https: or http: URL; data: is not allowed",
    ]);
    assert.deepEqual(problems({ extra: [{ name: "X", link: "https://x.example/", magic_link_format: "http://store.example/?r={uri}" }] }), [
      'apps.extra[0].magic_link_format: must be an https: URL template with {uri}, got "http://store.example/?r={uri}"',
    ]);
    assert.deepEqual(problems({ extra: [{ name: "X", link: "https://x.example/", magic_link_format: "javascript:{uri}" }] }).length, 1);
    assert.deepEqual(problems({ extra: [{ name: "X", link: "not a url" }] }), ['apps.extra[0].link: must be an absolute https: or http: URL, got "not a url"']);
  });

  test("ids unique, names required, images from this server only, platforms known", () => {
    assert.deepEqual(problems({ extra: [{ name: "Siskin IM", link: "https://a.example/" }, { name: "siskin  im", link: "https://b.example/" }] }), [
      'apps.extra[1].id: duplicate app id "siskin-im" (also apps.extra[0])',
    ]);
    assert.deepEqual(problems({ extra: [{ link: "https://a.example/" }] }), ["apps.extra[0].name: is required"]);
    assert.deepEqual(problems({ extra: [{ name: "!!!", link: "https://a.example/" }] }), ["apps.extra[0].name: no app id can be made from this name; give an id"]);
    assert.equal(problems({ extra: [{ name: "X", link: "https://a.example/", image: "https://cdn.example/x.png" }] })[0]?.startsWith("apps.extra[0].image: must be a path on this server"), true);
    assert.equal(problems({ extra: [{ name: "X", link: "https://a.example/", image: "//cdn.example/x.png" }] }).length, 1);
    assert.equal(problems({ extra: [{ name: "X", link: "https://a.example/", platforms: ["amiga"] }] })[0]?.startsWith("apps.extra[0].platforms[0]: must be one of"), true);
    assert.equal(problems({ show: ["Bad Id"] })[0]?.startsWith("apps.show[0]: must be 1 to 64 characters"), true);
    assert.deepEqual(problems({ extra: [{ name: "X", link: "https://a.example/", colour: "red" }] }), ["apps.extra[0].colour: unknown key"]);
  });
});
