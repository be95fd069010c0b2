import { test } from "node:test";
import assert from "node:assert/strict";
import { randomId } from "../../src/core/random-id.ts";

test("randomId gives base64url of the asked number of bytes", () => {
  assert.match(randomId(9), /^[A-Za-z0-9_-]{12}$/);
  assert.match(randomId(6), /^[A-Za-z0-9_-]{8}$/);
  assert.equal(Buffer.from(randomId(5), "base64url").length, 5);
});

test("randomId never repeats across pool refills", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) seen.add(randomId(9)); // ~11 refills of the 4 KiB pool
  assert.equal(seen.size, 5000);
});

test("randomId refuses more than its pool holds", () => {
  assert.throws(() => randomId(4097), RangeError);
});
