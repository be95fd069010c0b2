import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { generateToken, hashToken, idOfHash, isGeneratedShape } from "../../../src/modules/invites/tokens.ts";

test("hashToken is the hex SHA-256 of the token's UTF-8 bytes", () => {
  // FIPS 180-2 appendix B.1, and the empty string.
  assert.equal(hashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(hashToken(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // UTF-8, not Latin-1: "é" is hashed as the two bytes c3 a9, not as e9.
  assert.equal(hashToken("é"), createHash("sha256").update(Buffer.from([0xc3, 0xa9])).digest("hex"));
  assert.notEqual(hashToken("é"), createHash("sha256").update(Buffer.from([0xe9])).digest("hex"));
});

test("generated tokens: 24 base64url characters, distinct, and their id is the hash's first 16 hex digits", () => {
  const tokens = new Set(Array.from({ length: 200 }, generateToken));
  assert.equal(tokens.size, 200);
  for (const t of tokens) {
    assert.ok(isGeneratedShape(t), t);
    assert.match(idOfHash(hashToken(t)), /^[0-9a-f]{16}$/);
  }
});

test("no generated token starts with '-', which the CLI would read as an option", () => {
  // 3,000 draws: with the old generator about 47 of them started with "-".
  for (let i = 0; i < 3000; i++) assert.notEqual(generateToken()[0], "-");
});
