// The default landing URL (invites.md §5; web plan): page_url, else <public base URL>/invite/<token>/ with [http] on.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { defaultConfig, type Config } from "../../../src/core/config/index.ts";
import { landingPageUrl, setLandingBase } from "../../../src/modules/invites/landing.ts";

function config(edit: (c: Config) => void = () => {}): Config {
  const c = defaultConfig();
  edit(c);
  return c;
}

describe("landingPageUrl", () => {
  test("page_url wins, with host and token URL-encoded", () => {
    const c = config((c) => (c.invites.pageUrl = "https://pages.example/{host}/{token}"));
    assert.equal(landingPageUrl(c, "example.com", "a/b"), "https://pages.example/example.com/a%2Fb");
  });

  test("without page_url: the HTTPS port of the configuration, the default port left out", () => {
    assert.equal(landingPageUrl(config(), "example.com", "T0k_-"), "https://example.com:5281/invite/T0k_-/");
    assert.equal(landingPageUrl(config((c) => (c.http.httpsPort = 443)), "example.com", "T"), "https://example.com/invite/T/");
    assert.equal(landingPageUrl(config((c) => (c.http.https = false)), "example.com", "T"), "http://example.com:5280/invite/T/");
  });

  test("public_url, for every host, without a doubled slash", () => {
    const c = config((c) => (c.http.publicUrl = "https://chat.example.org/"));
    assert.equal(landingPageUrl(c, "example.com", "T"), "https://chat.example.org/invite/T/");
    assert.equal(landingPageUrl(c, "other.example", "T"), "https://chat.example.org/invite/T/");
  });

  test("none with [http] disabled, or with a port only a running server knows", () => {
    assert.equal(landingPageUrl(config((c) => (c.http.enabled = false)), "example.com", "T"), undefined);
    assert.equal(landingPageUrl(config((c) => (c.http.httpsPort = 0)), "example.com", "T"), undefined);
  });

  test("a running server's base replaces the configuration's, until it stops", () => {
    const c = config((c) => (c.http.httpsPort = 0));
    setLandingBase(c, (host) => `https://${host}:40001`);
    assert.equal(landingPageUrl(c, "example.com", "T"), "https://example.com:40001/invite/T/");
    setLandingBase(c, undefined);
    assert.equal(landingPageUrl(c, "example.com", "T"), undefined);
    assert.equal(landingPageUrl(config(), "example.com", "T"), "https://example.com:5281/invite/T/", "per server");
  });
});
