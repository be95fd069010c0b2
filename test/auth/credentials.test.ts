import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  authzidMatches,
  DEFAULT_ITERATIONS,
  deriveCredentials,
  deriveScramCredential,
  saslprepPassword,
  verifyPassword,
} from "../../src/auth/credentials.ts";
import { testPrepUsername } from "./helpers.ts";

describe("deriveCredentials", () => {
  test("both hashes, 16-byte salts fresh per hash and per call, default iterations", async () => {
    const a = await deriveCredentials("pencil");
    const b = await deriveCredentials("pencil");
    assert.equal(DEFAULT_ITERATIONS, 4096);
    for (const [c, len] of [[a.sha1, 20], [a.sha256, 32]] as const) {
      assert.equal(c.iterations, 4096);
      assert.equal(c.salt.length, 16);
      assert.equal(c.storedKey.length, len);
      assert.equal(c.serverKey.length, len);
    }
    assert.notDeepEqual(a.sha1.salt, a.sha256.salt);
    assert.notDeepEqual(a.sha256.salt, b.sha256.salt);
    assert.notDeepEqual(a.sha256.storedKey, b.sha256.storedKey);
  });

  test("custom iteration count", async () => {
    const c = await deriveCredentials("pencil", 10_000);
    assert.equal(c.sha1.iterations, 10_000);
    assert.equal(c.sha256.iterations, 10_000);
    await assert.rejects(deriveCredentials("pencil", 0), RangeError);
  });

  test("RFC 5802 keys for user/pencil with the RFC salt", async () => {
    const c = await deriveScramCredential("pencil", "sha1", 4096, Buffer.from("QSXCR+Q6sek8bf92", "base64"));
    // Intermediate values of the RFC 5802 §5 exchange (the vector test in scram.test.ts checks the full exchange).
    assert.equal(c.storedKey.toString("hex"), "e9d94660c39d65c38fbad91c358f14da0eef2bd6");
    assert.equal(c.serverKey.toString("hex"), "0fe09258b3ac852ba502cc62ba903eaacdbf7d31");
  });

  test("SASLprep is applied: equivalent passwords give equal keys, prohibited ones throw", async () => {
    const c = await deriveCredentials("I\u00ADX");
    assert.ok(await verifyPassword(c, "IX"));
    assert.ok(await verifyPassword(c, "\u2168")); // ROMAN NUMERAL NINE → "IX" under NFKC
    await assert.rejects(deriveCredentials("bell\u0007"));
    await assert.rejects(deriveCredentials("\u00AD"), RangeError); // empty after mapping
  });
});

describe("verifyPassword", () => {
  test("right and wrong passwords", async () => {
    const c = await deriveCredentials("correct horse");
    assert.equal(await verifyPassword(c, "correct horse"), true);
    assert.equal(await verifyPassword(c, "correct horsE"), false);
    assert.equal(await verifyPassword(c, ""), false);
    assert.equal(await verifyPassword(c, "bad\u0000"), false);
  });

  test("honours stored salt and iterations", async () => {
    const c = await deriveCredentials("pw", 1000);
    assert.equal(await verifyPassword(c, "pw"), true);
    c.sha256.iterations = 1001;
    assert.equal(await verifyPassword(c, "pw"), false);
  });
});

describe("saslprepPassword", () => {
  test("RFC 4013 §3 examples", () => {
    assert.equal(saslprepPassword("I\u00ADX"), "IX");
    assert.equal(saslprepPassword("user"), "user");
    assert.equal(saslprepPassword("USER"), "USER");
    assert.equal(saslprepPassword("\u00AA"), "a");
    assert.equal(saslprepPassword("\u2168"), "IX");
    assert.equal(saslprepPassword("\u00AD\u200B"), "");
    assert.throws(() => saslprepPassword("\u0007"));
    assert.throws(() => saslprepPassword("\u0627\u0031"));
  });

  test("non-ASCII spaces map to space; unassigned code points (query semantics) pass", () => {
    assert.equal(saslprepPassword("a\u00A0b"), "a b");
    assert.equal(saslprepPassword("\u{1F600}pw"), "\u{1F600}pw");
  });
});

describe("authzidMatches", () => {
  test("only the account's own bare JID", () => {
    const m = (a: string): boolean => authzidMatches(a, "juliet", "example.org", testPrepUsername);
    assert.equal(m("juliet@example.org"), true);
    assert.equal(m("Juliet@EXAMPLE.org"), true);
    assert.equal(m("juliet@example.org."), true);
    assert.equal(m("romeo@example.org"), false);
    assert.equal(m("juliet@example.org/res"), false);
    assert.equal(m("juliet"), false);
    assert.equal(m("@example.org"), false);
    assert.equal(m("ju liet@example.org"), false);
  });
});
