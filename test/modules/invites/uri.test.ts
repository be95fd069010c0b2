// Invite URIs (RFC 5122, XEP-0147 actions; invites.md §4), landing pages (§5) and token helpers (§3).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jidPath, registerUri, rosterUri } from "../../../src/modules/invites/uri.ts";
import { landingPage } from "../../../src/modules/invites/landing.ts";
import { generateToken, hashToken, idOfHash, isWellFormedToken, looksLikeId } from "../../../src/modules/invites/tokens.ts";

describe("xmpp: URIs", () => {
  test("the shapes of §4", () => {
    assert.equal(registerUri("example.com", undefined, "TOK_en-1"), "xmpp:example.com?register;preauth=TOK_en-1");
    assert.equal(registerUri("example.com", "juliet", "T"), "xmpp:juliet@example.com?register;preauth=T");
    assert.equal(rosterUri("example.com", "romeo", "T", false), "xmpp:romeo@example.com?roster;preauth=T");
    assert.equal(rosterUri("example.com", "romeo", "T", true), "xmpp:romeo@example.com?roster;preauth=T;ibr=y");
  });

  test("the JID path is percent-encoded where RFC 5122 requires it", () => {
    assert.equal(jidPath("d'artagnan", "example.com"), "d%27artagnan@example.com");
    assert.equal(jidPath("a?b#c%d", "example.com"), "a%3Fb%23c%25d@example.com");
    assert.equal(jidPath("ju!iet+x", "example.com"), "ju!iet+x@example.com");
    assert.equal(jidPath("müller", "example.com"), "m%C3%BCller@example.com");
    assert.equal(jidPath("東京", "example.com"), "%E6%9D%B1%E4%BA%AC@example.com");
    assert.equal(jidPath(undefined, "example.com"), "example.com");
  });

  test("a token with characters outside unreserved is encoded, so ; and = keep their meaning", () => {
    assert.equal(registerUri("example.com", undefined, "a;b=c"), "xmpp:example.com?register;preauth=a%3Bb%3Dc");
  });
});

describe("landing pages", () => {
  test("empty template: none; otherwise host and token URL-encoded", () => {
    assert.equal(landingPage("", "example.com", "T"), undefined);
    assert.equal(landingPage("https://{host}/invite/{token}/", "example.com", "abc_-1"), "https://example.com/invite/abc_-1/");
    assert.equal(landingPage("https://x.example/i?{token}&h={host}", "ex ample", "a+b/c"), "https://x.example/i?a%2Bb%2Fc&h=ex%20ample");
  });
});

describe("tokens", () => {
  test("hash, id and format", () => {
    const t = generateToken();
    assert.match(t, /^[A-Za-z0-9_-]{24}$/);
    assert.equal(hashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert.equal(idOfHash(hashToken("abc")), "ba7816bf8f01cfea");
    assert.equal(isWellFormedToken(t), true);
    assert.equal(isWellFormedToken("x"), true);
    assert.equal(isWellFormedToken("!~"), true);
    assert.equal(isWellFormedToken(""), false);
    assert.equal(isWellFormedToken("a b"), false);
    assert.equal(isWellFormedToken("a\tb"), false);
    assert.equal(isWellFormedToken("é"), false);
    assert.equal(isWellFormedToken("a".repeat(256)), true);
    assert.equal(isWellFormedToken("a".repeat(257)), false);
    assert.equal(looksLikeId("ba7816"), true);
    assert.equal(looksLikeId("BA7816BF8F01CFEA"), true);
    assert.equal(looksLikeId("ba781"), false);
    assert.equal(looksLikeId("ba7816bf8f01cfea4"), false);
  });
});
